package connguard.heal;

import connguard.log.Redact;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * How a physical connection was made, kept to make a twin: {@code Driver.connect(url, info)} or a
 * driver's own {@code DataSource.getConnection([user, password])}. Credentials stay in memory
 * only; {@link #toString()} names the target with secrets masked.
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
    Internal.enter();
    try {
      Connection c = open();
      if (c == null) {
        throw new SQLException("connguard: " + this + " no longer makes connections", "08001");
      }
      return c;
    } finally {
      Internal.exit();
    }
  }

  abstract Connection open() throws SQLException;

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

    @Override public String toString() {
      return dataSource.getClass().getName();
    }
  }
}
