package connguard.it.operability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.ChildJvm;
import connguard.it.harness.DoctorCli;
import connguard.it.harness.DoctorCli.Run;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code connguard.jar doctor} in a child JVM, against the real PostgreSQL: the report names the
 * server's timeouts as the session sees them and recommends settings from them; a connect that
 * fails is one line and exit 1; the password never shows.
 */
class DoctorIT {
  private static final String PASSWORD_VARIABLE = "CONNGUARD_DOCTOR_IT_PASSWORD";
  // Unique, so finding it anywhere in the output can only mean it leaked.
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  @Test
  void reportNamesTheSessionsTimeoutsAndRecommendsFromThem() {
    PgAdmin pg = Databases.postgres();
    String app = pg.uniqueName("doc");
    boolean hasIdleSessionTimeout = pg.count("select current_setting('server_version_num')::int") >= 140000;
    // Set for the doctor's session only, through the URL, as ALTER ROLE would for the app's.
    String idleSetting = hasIdleSessionTimeout ? "idle_session_timeout" : "idle_in_transaction_session_timeout";
    String url = pg.url(app) + "&password=" + PASSWORD
        + "&options=-c%20" + idleSetting + "%3D3000%20-c%20statement_timeout%3D45000";

    Run run = doctor(DoctorCli.classPathLaunch(), url, "root", PASSWORD_VARIABLE);

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("", run.err(), "nothing on stderr when the report is out");
    assertTrue(run.out().contains("password=***"), "URL shown with its password masked:\n" + run.out());
    long major = pg.count("select current_setting('server_version_num')::int / 10000");
    assertTrue(run.out().contains("PostgreSQL " + major + "."), "server version:\n" + run.out());
    assertTrue(run.out().contains("round trip"), run.out());
    assertRow(run.out(), idleSetting, "3s");
    assertRow(run.out(), "statement_timeout", "45s");
    // Not set by the URL: the doctor reads what the server applies, as the admin's session sees it.
    assertRow(run.out(), "tcp_keepalives_count",
        Long.toString(pg.count("select setting::bigint from pg_settings where name = 'tcp_keepalives_count'")));
    // Half of the 3 s idle limit.
    assertTrue(run.out().contains("-javaagent:connguard.jar=validateIdleAfter=1500ms"), run.out());
    assertTrue(run.out().contains("maxLifetime="), run.out());
    assertTrue(run.out().contains("keepaliveTime="), run.out());
    assertFalse(run.all().contains(PASSWORD), "password never printed:\n" + run);
    pg.awaitBackends(app, 0, Duration.ofSeconds(10));   // the doctor closed what it opened
  }

  @Test
  void jarAloneFindsTheDriverThroughDriverPath() {
    PgAdmin pg = Databases.postgres();
    String app = pg.uniqueName("docjar");

    Run run = doctor(DoctorCli.jarLaunch("--driver-path", ChildJvm.jarOnClassPath("postgresql-")), pg.url(app));

    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("PostgreSQL JDBC Driver"), run.out());
    assertTrue(run.out().contains("idle_in_transaction_session_timeout"), run.out());
    assertTrue(run.out().contains("-javaagent:connguard.jar=validateIdleAfter="), run.out());
    pg.awaitBackends(app, 0, Duration.ofSeconds(10));
  }

  @Test
  void unreachablePortIsOneLineAndExitOne() throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/test?password=" + PASSWORD;

    Run run = doctor(DoctorCli.classPathLaunch(), url, "root", PASSWORD_VARIABLE);

    assertOneFailureLine(run, "connguard doctor: cannot connect to " + url.replace(PASSWORD, "***") + ": ");
    assertTrue(run.err().contains("refused"), run.err());
  }

  @Test
  void unknownRoleIsOneLineAndExitOne() {
    Databases.postgres();     // skips loudly without PostgreSQL
    String url = "jdbc:postgresql://127.0.0.1:" + PgAdmin.PORT + "/test";

    Run run = doctor(DoctorCli.classPathLaunch(), url, "connguard_no_such_role", PASSWORD_VARIABLE);

    assertOneFailureLine(run, "connguard doctor: cannot connect to " + url + ": ");
    assertTrue(run.err().contains("(SQLState 28"), "an authorization SQLState: " + run.err());
  }

  @Test
  void urlNoDriverAcceptsIsOneLineAndExitOne() {
    String url = "jdbc:postgresql://127.0.0.1:" + PgAdmin.PORT + "/test?password=" + PASSWORD;

    Run run = doctor(DoctorCli.jarLaunch(), url, "root", PASSWORD_VARIABLE);   // -jar: no driver on the class path

    assertOneFailureLine(run, "connguard doctor: cannot connect to " + url.replace(PASSWORD, "***")
        + ": no JDBC driver accepts this URL");
  }

  private static void assertOneFailureLine(Run run, String start) {
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("", run.out(), "no report");
    assertEquals(1, run.err().lines().count(), "one line:\n" + run.err());
    assertTrue(run.err().startsWith(start), "starts with \"" + start + "\":\n" + run.err());
    assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "no stack trace:\n" + run.err());
    assertFalse(run.all().contains(PASSWORD), "password never printed:\n" + run);
  }

  private static Run doctor(List<String> launch, String... args) {
    return DoctorCli.run(launch, Map.of(PASSWORD_VARIABLE, PASSWORD), args);
  }

  /** The report's line for this server setting shows this value. */
  private static void assertRow(String report, String setting, String value) {
    String row = report.lines().filter(l -> l.trim().startsWith(setting + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + setting + ":\n" + report));
    assertEquals(value, row.trim().split("\\s+")[1], row);
  }

  /** A loopback port nobody listens on: the kernel refuses the connect at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
