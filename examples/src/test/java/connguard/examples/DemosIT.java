package connguard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What `make demo`, `make demo-hikari` and `make demo-spring` promise a newcomer: each demo fails
 * without the agent and finishes correctly with it. Each run is a child JVM with its own H2 server.
 */
class DemosIT {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BatchJobDemo", "HikariWorkerDemo", "JdbcTemplateDemo"})
  void demoFailsWithoutTheAgentAndFinishesWithIt(String demo) throws Exception {
    // (embedded H2, restarted by the demo itself)
    DemoJvm.Run without = run(demo, null);
    assertEquals(1, without.exit, "without the agent the job fails:\n" + without.output);
    assertTrue(without.result().contains("FAILED"), without.output);

    DemoJvm.Run with = run(demo, DemoJvm.agent());
    assertEquals(0, with.exit, "with the agent the job finishes:\n" + with.output);
    assertTrue(with.output.contains("connguard: "), "the agent said what it did:\n" + with.output);
  }

  /**
   * The same demos on your own database (env JDBC_URL), here the machine's PostgreSQL: the demo
   * cannot restart it, so this test plays the operator and terminates the demo's sessions while
   * it is idle, as the demo's own instructions say.
   */
  @ParameterizedTest(name = "{0} on PostgreSQL through JDBC_URL")
  @ValueSource(strings = {"BatchJobDemo", "HikariWorkerDemo", "JdbcTemplateDemo"})
  void demoOnYourOwnDatabaseFailsWithoutTheAgentAndFinishesWithIt(String demo) throws Exception {
    assumePostgres();
    Map<String, String> env = Map.of("JDBC_URL", PG_URL + "&ApplicationName=" + DEMO_APP, "IDLE_SECONDS", "3");

    DemoJvm.Run without = run(demo, null, env);
    assertEquals(1, without.exit, "without the agent the job fails:\n" + without.output);
    assertTrue(without.result().contains("FAILED"), without.output);

    DemoJvm.Run with = run(demo, DemoJvm.agent(), env);
    assertEquals(0, with.exit, "with the agent the job finishes:\n" + with.output);
    assertTrue(with.output.contains("connguard: "), "the agent said what it did:\n" + with.output);
  }

  private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final String DEMO_APP = "connguard-demo";
  private static final String FAULT_MARK = "fault: the job is idle";

  private static void assumePostgres() {
    try (Connection c = DriverManager.getConnection(PG_URL)) {
      c.isValid(2);
    } catch (SQLException e) {
      String message = "PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + ")";
      if ("1".equals(System.getenv("CONNGUARD_REQUIRE_DBS"))) {
        throw new AssertionError(message + " and CONNGUARD_REQUIRE_DBS=1", e);
      }
      System.err.println("### SKIPPED: " + message + "; the JDBC_URL demo tests did not run ###");
      Assumptions.abort(message);
    }
  }

  /** The operator's part: once the demo says it is idle, terminate its sessions; bounded. */
  private static void terminateSessionsAtTheFault(Path output, Process demo) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && demo.isAlive()) {
      if (Files.readString(output, StandardCharsets.UTF_8).contains(FAULT_MARK)) {
        try (Connection admin = DriverManager.getConnection(PG_URL); Statement st = admin.createStatement()) {
          st.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = '"
              + DEMO_APP + "' and pid <> pg_backend_pid()");
        }
        return;
      }
      Thread.sleep(50);
    }
  }

  private DemoJvm.Run run(String demo, String agent) throws Exception {
    return run(demo, agent, Map.of());
  }

  private DemoJvm.Run run(String demo, String agent, Map<String, String> env) throws Exception {
    DemoJvm jvm = DemoJvm.start(dir, "connguard.examples." + demo, agent, env);
    if (env.containsKey("JDBC_URL")) {
      terminateSessionsAtTheFault(jvm.output(), jvm.process());
    }
    return jvm.finish();
  }
}
