package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import org.junit.jupiter.api.Test;

/** The same HikariCP suite with HikariCP 6 in the child instead of 5. */
class Hikari6PostgresIT extends HikariPostgresIT {
  @Override
  AppJvm agent(String agentArgs) {
    return AppJvm.withAgent(agentArgs).replaceJar("HikariCP-", System.getProperty("connguard.hikari6"));
  }

  @Test
  void theChildRunsHikariCp6() {
    try (Shell sh = agent("").start()) {
      String classPath = String.join(" ", sh.command());
      assertTrue(classPath.contains("HikariCP-6.jar") && !classPath.contains("HikariCP-5"), classPath);
    }
  }
}
