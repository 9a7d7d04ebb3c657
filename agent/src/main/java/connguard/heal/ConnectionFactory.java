package connguard.heal;

import connguard.log.Redact;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How a physical connection was made ({@code Driver.connect(url, info)}), kept to make a twin.
 * Credentials stay in memory only; {@link #toString()} shows the URL with secrets masked.
 */
final class ConnectionFactory {
  private final Driver driver;
  private final String url;
  private final Properties info;

  ConnectionFactory(Driver driver, String url, Properties info) {
    this.driver = driver;
    this.url = url;
    this.info = info;
  }

  static ConnectionFactory capture(Object driver, Object url, Object info) {
    if (!(driver instanceof Driver) || !(url instanceof String)) {
      return null;
    }
    Properties copy = new Properties();
    if (info instanceof Properties) {
      Properties original = (Properties) info;
      for (String key : original.stringPropertyNames()) {
        copy.setProperty(key, original.getProperty(key));
      }
    }
    return new ConnectionFactory((Driver) driver, (String) url, copy);
  }

  /** A fresh physical connection; our own advice on Driver.connect must not guard it separately. */
  Connection connect() throws SQLException {
    Internal.enter();
    try {
      Connection c = driver.connect(url, info);
      if (c == null) {
        throw new SQLException("driver " + driver.getClass().getName() + " no longer accepts "
            + Redact.url(url), "08001");
      }
      return c;
    } finally {
      Internal.exit();
    }
  }

  @Override public String toString() {
    return Redact.url(url);
  }
}
