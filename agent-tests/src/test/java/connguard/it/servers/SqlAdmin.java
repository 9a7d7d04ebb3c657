package connguard.it.servers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin side of a database under test: one connection of its own (reopened when broken),
 * from which tests check invariants instead of trusting the app under test.
 */
public abstract class SqlAdmin {
  private static final AtomicInteger NAMES = new AtomicInteger();
  // Part of every unique name, so leftovers of an earlier run never collide with this one.
  private static final String RUN = Long.toString(
      (ProcessHandle.current().pid() * 1_000_003L + System.currentTimeMillis()) % 46_656L, 36);

  private final String adminUrl;
  private final int maxNameStem;
  private Connection connection;

  SqlAdmin(String adminUrl, int maxNameStem) {
    this.adminUrl = adminUrl;
    this.maxNameStem = maxNameStem;
  }

  // What a test does to an app's sessions, whatever the server: they are found by the app's name
  // (PostgreSQL application_name, MariaDB user).

  /** A name for one test's app, by which its sessions are found; end it with {@link #dropApp}. */
  public abstract String newApp(String prefix);

  /** Ends what is left of the app's sessions and forgets the app. */
  public abstract void dropApp(String app);

  /** Kills every session of the app; returns how many. */
  public abstract int killSessions(String app);

  /** Does this SQLState say that the app's session was killed under its driver, as killSessions does? */
  public abstract boolean isKilledSession(String sqlState);

  /** The app's sessions on the server now. */
  public abstract int backends(String app);

  /** Polls {@link #backends} until it equals {@code expected}. */
  public abstract void awaitBackends(String app, int expected, Duration timeout);

  /** Waits until a session of the app runs a statement, e.g. to kill it mid-flight. */
  public abstract void awaitActiveQuery(String app, Duration timeout);

  /** The child's JDBC URL for the app, on the machine's server. */
  public abstract String url(String app);

  /** The child's JDBC URL for the app, on {@code port} (the server's, or a proxy's). */
  public abstract String url(String app, int port);

  /** Opens the admin connection now; used to find out whether the server is there at all. */
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

  /** First column of the first row, as text (null for SQL NULL). */
  public synchronized String text(String sql) {
    try (Statement s = open().createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("no row from: " + sql);
      }
      return rs.getString(1);
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

  /** First column of the first row of {@code sql} with one string parameter, as a long. */
  public synchronized long countWith(String sql, String parameter) {
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

  /** A name no other test (or earlier run) uses, valid as an identifier: table, user, app. */
  public String uniqueName(String prefix) {
    String clean = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
      clean = "t" + clean;
    }
    if (clean.length() > maxNameStem) {
      clean = clean.substring(0, maxNameStem);
    }
    return clean + "_" + RUN + "_" + NAMES.incrementAndGet();
  }

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

  public synchronized Connection open() throws SQLException {
    if (connection != null && !connection.isValid(2)) {
      close();
    }
    if (connection == null) {
      connection = DriverManager.getConnection(adminUrl);
    }
    return connection;
  }

  public static IllegalStateException failed(String sql, SQLException e) {
    return new IllegalStateException("admin statement failed (" + e.getSQLState() + " "
        + e.getErrorCode() + "): " + sql, e);
  }
}
