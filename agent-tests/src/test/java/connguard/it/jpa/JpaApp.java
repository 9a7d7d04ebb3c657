package connguard.it.jpa;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.harness.AppJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Which JPA app {@link JpaServiceIT} runs in its child JVM: both speak the same protocol. */
enum JpaApp {
  /** {@link JpaWorkload}: Hibernate alone over HikariCP 6, on this module's class path; the test migrates. */
  HIBERNATE,
  /**
   * examples-boot's ledger service ({@code connguard.examples.ledger.LedgerWorkload}): Spring Boot 4
   * with Spring Data JPA, its own Hibernate, HikariCP and Flyway (which migrates at start), from
   * the example's jar as Boot deploys it.
   */
  SPRING_BOOT;

  /** Set by surefire (agent-tests/pom.xml) to examples-boot/target/connguard-examples-boot-*.jar. */
  static final String BOOT_JAR_PROPERTY = "connguard.bootJar";
  static final String BOOT_MAIN = "connguard.examples.ledger.LedgerWorkload";

  boolean migratesItself() {
    return this == SPRING_BOOT;
  }

  Process launch(AppJvm jvm, Path stdout, Path stderr) {
    if (this == HIBERNATE) {
      return jvm.launch(JpaWorkload.class.getName(), stdout, stderr);
    }
    // Boot, Hibernate and their class loaders need more than the light children's heap.
    return jvm.jvmArg("-Xmx512m").sysProp("loader.main", BOOT_MAIN).launchJar(bootJar(), stdout, stderr);
  }

  static Path bootJar() {
    String property = System.getProperty(BOOT_JAR_PROPERTY);
    Path jar = property == null ? null : Paths.get(property).toAbsolutePath().normalize();
    if (jar == null || !Files.isRegularFile(jar)) {
      fail("the Spring Boot example's jar (" + jar + ") is missing: run `make build` first, or the agent"
          + " tests through Maven (agent-tests/pom.xml sets " + BOOT_JAR_PROPERTY + ")");
    }
    return jar;
  }
}
