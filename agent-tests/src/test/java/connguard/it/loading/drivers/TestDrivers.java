package connguard.it.loading.drivers;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Drivers that do what real ones sometimes do, registered through META-INF/services so the
 * child JVM's DriverManager finds them by URL prefix:
 * <ul>
 *   <li>{@code jdbc:wrap:<url>}: p6spy-style; connects through DriverManager and wraps the result;
 *   <li>{@code jdbc:badvalid:<url>}: a connection whose isValid throws;
 *   <li>{@code jdbc:proxy:<url>}: a JDK dynamic proxy as the Connection.
 * </ul>
 */
public final class TestDrivers implements Driver {
  private static final String[] PREFIXES = {"jdbc:wrap:", "jdbc:badvalid:", "jdbc:proxy:"};

  static {
    try {
      DriverManager.registerDriver(new TestDrivers());   // ServiceLoader only loads the class
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override public Connection connect(String url, Properties info) throws SQLException {
    if (url.startsWith("jdbc:wrap:")) {
      return new DelegatingConnection(DriverManager.getConnection(url.substring(10), info));
    }
    if (url.startsWith("jdbc:badvalid:")) {
      // The H2 connection is made directly, not through a Driver: this wrapper is then the
      // physical connection as far as the agent can see, and its isValid is what gets called.
      Connection direct = new org.h2.jdbc.JdbcConnection(url.substring(14), new Properties(), "sa", "", false);
      return new DelegatingConnection(direct) {
        @Override public boolean isValid(int timeout) throws SQLException {
          throw new SQLFeatureNotSupportedException("isValid is not supported by this driver");
        }
      };
    }
    if (url.startsWith("jdbc:proxy:")) {
      Connection inner = DriverManager.getConnection(url.substring(11), info);
      return (Connection) Proxy.newProxyInstance(TestDrivers.class.getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            try {
              return method.invoke(inner, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
    return null;
  }

  @Override public boolean acceptsURL(String url) {
    for (String prefix : PREFIXES) {
      if (url.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override public int getMajorVersion() {
    return 1;
  }

  @Override public int getMinorVersion() {
    return 0;
  }

  @Override public boolean jdbcCompliant() {
    return false;
  }

  @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }
}
