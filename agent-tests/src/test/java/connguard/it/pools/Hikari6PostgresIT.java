package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import org.junit.jupiter.api.Test;

/** {@link HikariPostgresIT} with HikariCP 6 in the child instead of 5. */
class Hikari6PostgresIT extends HikariPostgresIT {
  @Override AppJvm child(String agentArgs) {
    return super.child(agentArgs).replaceJar("HikariCP-", System.getProperty("connguard.hikari6"));
  }

  @Test
  void theChildRunsHikariCp6() {
    try (Shell sh = child("").start()) {
      String classPath = String.join(" ", sh.command());
      assertTrue(classPath.contains("HikariCP-6.jar") && !classPath.contains("HikariCP-5"), classPath);
    }
  }
}
