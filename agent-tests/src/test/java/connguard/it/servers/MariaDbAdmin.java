package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.harness.Deadline;
import connguard.it.harness.JdbcShell;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's own view of MariaDB: one root connection for invariants and for killing the child's
 * connections. MariaDB has no application_name, so each test tags its child by a user of its own
 * ({@link #createUser}): information_schema.processlist shows the user of every connection.
 * Reopened when it broke, so one instance serves a whole run. Get it from
 * {@link Databases#mariadb()}.
 */
public final class MariaDbAdmin extends SqlAdmin implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 3306;
  static final String ADMIN_URL = "jdbc:mariadb://" + HOST + ":" + PORT + "/test?user=root"
      + "&connectTimeout=3000&socketTimeout=60000";
  // MariaDB answers KILL for a thread that ended meanwhile with 1094 (unknown thread id).
  private static final int UNKNOWN_THREAD = 1094;

  MariaDbAdmin() {
    super(ADMIN_URL, 16);
  }

  /** Admin of another server, e.g. a {@link PrivateMariaDb}; database "" for none. */
  MariaDbAdmin(int port, String database) {
    super("jdbc:mariadb://" + HOST + ":" + port + "/" + database + "?user=root"
        + "&connectTimeout=3000&socketTimeout=60000", 16);
  }

  /**
   * A user of its own for one test's child, without password, with every privilege on
   * database test: its connections are the ones {@link #kill} and {@link #backends} see.
   */
  public String createUser(String prefix) {
    String user = uniqueName(prefix);
    exec("create user '" + user + "'@'" + HOST + "'");
    exec("grant all privileges on test.* to '" + user + "'@'" + HOST + "'");
    return user;
  }

  /** Kills what is left of the user's connections, then drops the user. */
  public void dropUser(String user) {
    kill(user);
    exec("drop user if exists '" + user + "'@'" + HOST + "'");
  }

  /** A second database the user may USE; drop it with {@code drop database}. */
  public String createDatabase(String prefix, String grantee) {
    String name = uniqueName(prefix);
    exec("create database " + name);
    exec("grant all privileges on " + name + ".* to '" + grantee + "'@'" + HOST + "'");
    return name;
  }

  /**
   * KILL CONNECTION for every connection of this user; returns how many. Waits (up to 5 s) until
   * they are gone from the processlist, so the app's next statement meets a dead connection
   * rather than racing the kill.
   */
  public synchronized int kill(String user) {
    List<Long> ids = connectionIds(user);
    int killed = 0;
    for (long id : ids) {
      try (Statement s = open().createStatement()) {
        s.execute("kill connection " + id);
        killed++;
      } catch (SQLException e) {
        if (e.getErrorCode() != UNKNOWN_THREAD) {
          throw failed("kill connection " + id, e);
        }
      }
    }
    Deadline deadline = Deadline.in(Duration.ofSeconds(5));
    List<Long> left = ids;
    for (int polls = 0; polls < 10_000 && !left.isEmpty() && !deadline.expired(); polls++) {
      deadline.pause(20);
      left = new ArrayList<>(connectionIds(user));
      left.retainAll(ids);
    }
    if (!left.isEmpty()) {
      fail("connections " + left + " of " + user + " still there 5 s after KILL: " + describeBackends(user));
    }
    return killed;
  }

  @Override public int killSessions(String user) {
    return kill(user);
  }

  @Override public boolean isKilledSession(String sqlState) {
    return sqlState.startsWith("08");
  }

  /** A user of its own ({@link #createUser}). */
  @Override public String newApp(String prefix) {
    return createUser(prefix);
  }

  @Override public void dropApp(String user) {
    dropUser(user);
  }

  /** Connections of this user in information_schema.processlist. */
  public synchronized int backends(String user) {
    return connectionIds(user).size();
  }

  /** Polls {@link #backends} until it equals {@code expected}. */
  public void awaitBackends(String user, int expected, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    int seen = -1;
    for (int polls = 0; polls < 100_000; polls++) {
      seen = backends(user);
      if (seen == expected || deadline.expired()) {
        break;
      }
      deadline.pause(50);
    }
    if (seen != expected) {
      fail("expected " + expected + " connections of user " + user + " within " + timeout
          + " but saw " + seen + ": " + describeBackends(user));
    }
  }

  /** JDBC URL for MariaDB Connector/J: this user, database test. */
  @Override public String url(String user) {
    return url(user, PORT);
  }

  /** Same as {@link #url(String)} on another port, e.g. a {@link connguard.it.faults.FaultProxy} in front. */
  public String url(String user, int port) {
    return "jdbc:mariadb://" + HOST + ":" + port + "/test?user=" + user;
  }

  /** Waits until a connection of this user runs a statement, e.g. to kill it mid-flight. */
  public void awaitActiveQuery(String user, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    for (int polls = 0; polls < 100_000 && !deadline.expired(); polls++) {
      if (countWith("select count(*) from information_schema.processlist where user = ? and command = 'Query'"
          + " and id <> connection_id()", user) > 0) {
        return;
      }
      deadline.pause(20);
    }
    fail("no running statement of " + user + " within " + timeout + ": " + describeBackends(user));
  }

  /**
   * JDBC URL for MySQL Connector/J against the same server. MariaDB 10.11 speaks the MySQL
   * protocol with mysql_native_password; TLS is off here, and allowPublicKeyRetrieval only keeps
   * Connector/J from refusing a server that offers caching_sha2 in the handshake.
   */
  public String mysqlUrl(String user) {
    return "jdbc:mysql://" + HOST + ":" + PORT + "/test?user=" + user
        + "&sslMode=DISABLED&allowPublicKeyRetrieval=true";
  }

  /**
   * What SHOW SLAVE STATUS says of the replication threads and their last errors, for failure
   * messages; "not a replica" when it shows no row.
   */
  public synchronized String replicaStatus() {
    try (Statement s = open().createStatement(); ResultSet rs = s.executeQuery("show slave status")) {
      if (!rs.next()) {
        return "not a replica";
      }
      return "io " + rs.getString("Slave_IO_Running") + " (" + rs.getString("Last_IO_Error") + "), sql "
          + rs.getString("Slave_SQL_Running") + " (" + rs.getString("Last_SQL_Error") + "), at "
          + rs.getString("Gtid_IO_Pos");
    } catch (SQLException e) {
      return "(cannot tell: " + e.getMessage() + ")";
    }
  }

  private List<Long> connectionIds(String user) {
    String sql = "select id from information_schema.processlist where user = ? and id <> connection_id()"
        + " order by id";
    try (PreparedStatement s = open().prepareStatement(sql)) {
      s.setString(1, user);
      try (ResultSet rs = s.executeQuery()) {
        List<Long> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
        return ids;
      }
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  private String describeBackends(String user) {
    String sql = "select id, command, time, state, left(info, 80) from information_schema.processlist"
        + " where user = ? order by id";
    synchronized (this) {
      try (PreparedStatement s = open().prepareStatement(sql)) {
        s.setString(1, user);
        try (ResultSet rs = s.executeQuery()) {
          return "[" + JdbcShell.rows(rs) + "]";
        }
      } catch (SQLException e) {
        return "(cannot list them: " + e.getMessage() + ")";
      }
    }
  }

}
