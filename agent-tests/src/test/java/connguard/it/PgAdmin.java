package connguard.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test's own view of PostgreSQL: one superuser connection (application_name
 * {@value #ADMIN_APP}) for invariants and for killing the child's backends. Reopened when it
 * broke, so one instance serves a whole run. Get it from {@link Databases#postgres()}.
 */
public final class PgAdmin implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  static final String ADMIN_APP = "connguard-admin";
  static final String ADMIN_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/test?user=postgres"
      + "&ApplicationName=" + ADMIN_APP + "&connectTimeout=3&loginTimeout=5&socketTimeout=60";

  private static final AtomicInteger NAMES = new AtomicInteger();
  // Part of every unique name, so leftovers of an earlier run never collide with this one.
  private static final String RUN = Long.toString(
      (ProcessHandle.current().pid() * 1_000_003L + System.currentTimeMillis()) % 46_656L, 36);

  private Connection connection;

  PgAdmin() {}

  /** Opens the admin connection now; used to find out whether PostgreSQL is there at all. */
  void probe() throws SQLException {
    open();
  }

  /** First column of the first row, as a long. */
  public synchronized long count(String sql) {
    try (Statement s = open().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("no row from: " + sql);
      }
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  public synchronized void exec(String sql) {
    try (Statement s = open().createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw failed(sql, e);
    }
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
  public String url(String applicationName) {
    return url(applicationName, PORT);
  }

  /** Same as {@link #url(String)} on another port, e.g. a {@link FaultProxy} in front. */
  public String url(String applicationName, int port) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/test?user=root&ApplicationName="
        + URLEncoder.encode(applicationName, StandardCharsets.UTF_8);
  }

  /**
   * A fresh lower-case identifier, usable as table or application name. Short, because
   * PostgreSQL truncates application_name and identifiers at 63 bytes.
   */
  public String uniqueName(String prefix) {
    String clean = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
      clean = "t" + clean;
    }
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    return clean + "_" + RUN + "_" + NAMES.incrementAndGet();
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing a broken connection; nothing to keep.
      }
      connection = null;
    }
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

  private long countWith(String sql, String parameter) {
    try (PreparedStatement s = open().prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  /** The admin connection, reopened if a test restarted or broke the server meanwhile. */
  private Connection open() throws SQLException {
    if (connection != null && !connection.isValid(2)) {
      close();
    }
    if (connection == null) {
      connection = DriverManager.getConnection(ADMIN_URL);
    }
    return connection;
  }

  private static IllegalStateException failed(String sql, SQLException e) {
    return new IllegalStateException("admin statement failed (" + e.getSQLState() + "): " + sql, e);
  }
}
