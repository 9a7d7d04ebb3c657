package connguard.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * A driver from a jar that is not on the class path ({@code --driver-path}), registered with
 * {@link DriverManager}. DriverManager hands a connection only to a driver whose class the
 * caller's loader can see; a driver loaded by our own URLClassLoader is not one of them, so we
 * register this shim, loaded with connguard, which delegates every call.
 */
final class DriverShim implements Driver {
  private final Driver driver;

  private DriverShim(Driver driver) {
    this.driver = driver;
  }

  /**
   * Loads the jars (path-separated, like a class path) and registers every JDBC 4 driver they
   * declare in META-INF/services/java.sql.Driver; returns the drivers' class names.
   *
   * @throws IllegalArgumentException naming the jar that is missing, or saying none holds a driver
   */
  static List<String> registerFrom(String paths) throws SQLException {
    List<URL> urls = new ArrayList<>();
    for (String path : paths.split(File.pathSeparator)) {
      if (path.isEmpty()) {
        continue;
      }
      File jar = new File(path);
      if (!jar.isFile()) {
        throw new IllegalArgumentException("--driver-path " + path + ": no such file");
      }
      try {
        urls.add(jar.toURI().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("--driver-path " + path + ": " + e.getMessage());
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("--driver-path needs a jar file");
    }
    // Never closed: the driver's classes are used until the doctor exits.
    URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), DriverShim.class.getClassLoader());
    List<String> names = new ArrayList<>();
    Iterator<Driver> drivers = ServiceLoader.load(Driver.class, loader).iterator();
    for (int seen = 0; seen < 100; seen++) {      // bounded: a broken jar cannot make this spin
      Driver driver;
      try {
        if (!drivers.hasNext()) {
          break;
        }
        driver = drivers.next();
      } catch (ServiceConfigurationError | LinkageError unusable) {
        continue;    // one broken provider entry; the others may still work
      }
      // The service loader also finds drivers of the parent loaders; DriverManager has those.
      if (driver.getClass().getClassLoader() == loader) {
        DriverManager.registerDriver(new DriverShim(driver));
        names.add(driver.getClass().getName());
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("--driver-path " + paths
          + ": no JDBC driver in it (none is declared in META-INF/services/java.sql.Driver)");
    }
    return names;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    return driver.connect(url, info);
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return driver.acceptsURL(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return driver.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return driver.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return driver.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return driver.jdbcCompliant();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }
}
