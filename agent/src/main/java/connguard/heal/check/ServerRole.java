package connguard.heal.check;

import connguard.heal.call.OwnCalls;
import connguard.policy.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Is the server behind a connection read-only (a hot standby, a demoted primary, a MySQL/MariaDB
 * server set read_only), and where is it? One short query of the agent's own, asked only after
 * the server refused a write as read-only: never on a path that did not fail.
 */
public final class ServerRole {
  /** The server will refuse writes whatever the session does. */
  public final boolean readOnly;
  /** host:port as the server names itself, or null when it does not say (a Unix socket). */
  public final String where;

  private ServerRole(boolean readOnly, String where) {
    this.readOnly = readOnly;
    this.where = where;
  }

  /** The query for a server of this dialect, or null when we know none. */
  static String query(Dialect dialect) {
    switch (dialect) {
      case POSTGRESQL:
        return "select pg_is_in_recovery(), host(inet_server_addr()), inet_server_port()";
      case MYSQL:
      case MARIADB:
        return "select @@global.read_only or @@global.innodb_read_only, @@hostname, @@port";
      default:
        return null;
    }
  }

  /**
   * Asks the server; null when the dialect has no query. Throws what the driver throws (the
   * connection died meanwhile, a permission is missing): the caller then knows nothing.
   */
  public static ServerRole of(Object connection, Dialect dialect, int timeoutSeconds) throws SQLException {
    String query = query(dialect);
    if (query == null) {
      return null;
    }
    OwnCalls.enter();       // the agent's own statement: its advice lets it through
    try {
      Statement statement = ((Connection) connection).createStatement();
      try {
        statement.setQueryTimeout(timeoutSeconds);
        ResultSet row = statement.executeQuery(query);
        if (!row.next()) {
          return null;
        }
        String host = row.getString(2);
        String port = row.getString(3);
        return new ServerRole(row.getBoolean(1), host == null ? null : host + ":" + port);
      } finally {
        statement.close();
      }
    } finally {
      OwnCalls.exit();
    }
  }

  @Override public String toString() {
    return (readOnly ? "read-only" : "writable") + (where == null ? "" : " at " + where);
  }
}
