package connguard.heal;

import connguard.heal.call.OwnCalls;
import connguard.heal.check.DriverFailover;
import connguard.log.Redact;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * How a physical connection was made, kept to make a replacement:
 * {@code Driver.connect(url, info)} or a driver's own
 * {@code DataSource.getConnection([user, password])}. Credentials stay in memory only;
 * {@link #toString()} names the target with secrets masked.
 */
abstract class ConnectionFactory {
  static ConnectionFactory capture(Object source, Object arg0, Object arg1) {
    if (source instanceof Driver && arg0 instanceof String) {
      return new ThroughDriver((Driver) source, (String) arg0, copy(arg1));
    }
    if (source instanceof DataSource) {
      return new ThroughDataSource((DataSource) source, (String) arg0, (String) arg1);
    }
    return null;
  }

  /** A fresh physical connection; our own advice must not guard it as a connection of its own. */
  final Connection connect() throws SQLException {
    OwnCalls.enter();
    try {
      Connection c = open();
      if (c == null) {
        throw new SQLException("connguard: " + this + " no longer makes connections", "08001");
      }
      return c;
    } finally {
      OwnCalls.exit();
    }
  }

  abstract Connection open() throws SQLException;

  /** The JDBC URL when known (a driver's DataSource may not say), else null. */
  abstract String url();

  /**
   * Whether the URL turns on the driver's own failover: MariaDB Connector/J's
   * {@code sequential:}/{@code loadbalance:}/{@code replication:}/{@code aurora:} modes, MySQL
   * Connector/J's {@code loadbalance:}/{@code replication:} URLs and multi-host URLs. Such a driver
   * reconnects by itself and answers the interrupted call with its own state (25S03, 08S02);
   * the agent's idle validation would pre-empt it (replace the connection before the driver's
   * failover sees anything, or set off its transaction replay with the probe), so it is off there.
   */
  final boolean driverFailsOver() {
    return DriverFailover.enabledBy(url());
  }

  /**
   * Whether the URL asks for read-only or standby servers (pgjdbc {@code targetServerType=secondary},
   * {@code preferSecondary}, {@code readOnly=true}): a write refused there is the app's own doing.
   */
  final boolean targetsReadOnlyServers() {
    String url = url();
    if (url == null) {
      return false;
    }
    String u = url.toLowerCase(Locale.ROOT).replace(" ", "");
    return u.contains("targetservertype=secondary") || u.contains("targetservertype=prefersecondary")
        || u.contains("targetservertype=slave") || u.contains("targetservertype=preferslave")
        || u.contains("readonly=true");
  }

  private static Properties copy(Object info) {
    Properties copy = new Properties();
    if (info instanceof Properties) {
      Properties original = (Properties) info;
      for (String key : original.stringPropertyNames()) {
        copy.setProperty(key, original.getProperty(key));
      }
    }
    return copy;
  }

  private static final class ThroughDriver extends ConnectionFactory {
    private final Driver driver;
    private final String url;
    private final Properties info;

    ThroughDriver(Driver driver, String url, Properties info) {
      this.driver = driver;
      this.url = url;
      this.info = info;
    }

    @Override Connection open() throws SQLException {
      return driver.connect(url, info);
    }

    @Override String url() {
      return url;
    }

    @Override public String toString() {
      return Redact.url(url);
    }
  }

  /** The DataSource object itself is kept: its URL, credentials and settings are its own. */
  private static final class ThroughDataSource extends ConnectionFactory {
    private final DataSource dataSource;
    private final String user;
    private final String password;

    ThroughDataSource(DataSource dataSource, String user, String password) {
      this.dataSource = dataSource;
      this.user = user;
      this.password = password;
    }

    @Override Connection open() throws SQLException {
      return user == null && password == null ? dataSource.getConnection() : dataSource.getConnection(user, password);
    }

    /** MariaDbDataSource, MysqlDataSource, PGSimpleDataSource ... have a public getUrl(). */
    @Override String url() {
      try {
        Object url = dataSource.getClass().getMethod("getUrl").invoke(dataSource);
        return url instanceof String ? (String) url : null;
      } catch (Throwable t) {
        return null;
      }
    }

    @Override public String toString() {
      return dataSource.getClass().getName();
    }
  }
}
