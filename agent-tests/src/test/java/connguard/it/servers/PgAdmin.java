package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.harness.Deadline;
import connguard.it.harness.JdbcShell;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The test's own view of PostgreSQL: one superuser connection (application_name
 * {@value #ADMIN_APP}) for invariants and for killing the child's backends. Reopened when it
 * broke, so one instance serves a whole run. Get it from {@link Databases#postgres()}.
 */
public final class PgAdmin extends SqlAdmin implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  static final String ADMIN_APP = "connguard-admin";
  static final String ADMIN_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/test?user=postgres"
      + "&ApplicationName=" + ADMIN_APP + "&connectTimeout=3&loginTimeout=5&socketTimeout=60";

  PgAdmin() {
    super(ADMIN_URL, 40);
  }

  /** Admin of another server, e.g. a {@link PrivatePostgres}, on database test. */
  PgAdmin(int port) {
    this(port, "test");
  }

  PgAdmin(int port, String database) {
    super("jdbc:postgresql://" + HOST + ":" + port + "/" + database + "?user=postgres&ApplicationName="
        + ADMIN_APP + "&connectTimeout=3&loginTimeout=5&socketTimeout=60", 40);
  }

  /**
   * pg_terminate_backend on every backend with this application_name; returns how many. On
   * PostgreSQL 14+ it also waits (up to 5 s each) until they are gone, so the app's next
   * statement meets a dead connection rather than racing the kill.
   */
  public synchronized int terminate(String applicationName) {
    String terminate;
    try {
      terminate = open().getMetaData().getDatabaseMajorVersion() >= 14
          ? "pg_terminate_backend(pid, 5000)" : "pg_terminate_backend(pid)";
    } catch (SQLException e) {
      throw failed("(server version)", e);
    }
    String sql = "select count(*) from (select " + terminate + " as killed"
        + " from pg_stat_activity where application_name = ? and pid <> pg_backend_pid()) k"
        + " where killed";
    return (int) countWith(sql, applicationName);
  }

  @Override public int killSessions(String applicationName) {
    return terminate(applicationName);
  }

  /** 57P01 when the driver reads the server's goodbye, 08 when it finds the socket gone. */
  @Override public boolean isKilledSession(String sqlState) {
    return sqlState.startsWith("57P01") || sqlState.startsWith("08");
  }

  /** An application_name of its own; nothing to create on the server. */
  @Override public String newApp(String prefix) {
    return uniqueName(prefix);
  }

  @Override public void dropApp(String applicationName) {
    terminate(applicationName);
  }

  /** Backends in pg_stat_activity with this application_name. */
  public synchronized int backends(String applicationName) {
    return (int) countWith(
        "select count(*) from pg_stat_activity where application_name = ?", applicationName);
  }

  /** Polls {@link #backends} until it equals {@code expected}. */
  public void awaitBackends(String applicationName, int expected, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    int seen = -1;
    for (int polls = 0; polls < 100_000; polls++) {
      seen = backends(applicationName);
      if (seen == expected || deadline.expired()) {
        break;
      }
      deadline.pause(50);
    }
    if (seen != expected) {
      fail("expected " + expected + " backends with application_name " + applicationName
          + " within " + timeout + " but saw " + seen + ": " + describeBackends(applicationName));
    }
  }

  /** Waits until a backend of this application runs a query (state active), e.g. to kill it mid-flight. */
  public void awaitActiveQuery(String applicationName, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    for (int polls = 0; polls < 100_000 && !deadline.expired(); polls++) {
      if (count("select count(*) from pg_stat_activity where application_name = '" + applicationName
          + "' and state = 'active'") > 0) {
        return;
      }
      deadline.pause(20);
    }
    fail("no active query of " + applicationName + " within " + timeout + ": " + describeBackends(applicationName));
  }

  /** JDBC URL for the child: user root, database test, this application_name. */
  @Override public String url(String applicationName) {
    return url(applicationName, PORT);
  }

  /** Same as {@link #url(String)} on another port, e.g. a {@link connguard.it.faults.FaultProxy} in front. */
  public String url(String applicationName, int port) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/test?user=root&ApplicationName="
        + URLEncoder.encode(applicationName, StandardCharsets.UTF_8);
  }

  private String describeBackends(String applicationName) {
    String sql = "select pid, state, backend_start, left(query, 80) from pg_stat_activity"
        + " where application_name = ? order by pid";
    synchronized (this) {
      try (PreparedStatement s = open().prepareStatement(sql)) {
        s.setString(1, applicationName);
        try (ResultSet rs = s.executeQuery()) {
          return "[" + JdbcShell.rows(rs) + "]";
        }
      } catch (SQLException e) {
        return "(cannot list them: " + e.getMessage() + ")";
      }
    }
  }

}
