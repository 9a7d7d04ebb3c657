package connguard.tuning;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a HikariConfig (or HikariDataSource) by reflection, after its validate() filled in the
 * defaults: the app's HikariCP is in the app's class loader, never on ours. Runs once per pool.
 */
public final class HikariSettings {
  private HikariSettings() {}

  /** Null when this is not a HikariConfig we understand; never throws. */
  public static PoolSettings read(Object config) {
    try {
      String name = (String) call(config, "getPoolName");
      long maxLifetime = ((Number) call(config, "getMaxLifetime")).longValue();
      long keepalive = ((Number) call(config, "getKeepaliveTime")).longValue();
      return new PoolSettings("HikariCP pool '" + name + "'", maxLifetime, keepalive, servers(config));
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  /**
   * Where its connections go ({@link ServerKey}): its jdbcUrl, or the url its DataSource was given
   * (dataSourceClassName plus a url property).
   */
  private static List<String> servers(Object config) throws Exception {
    List<String> servers = new ArrayList<String>(2);
    add(servers, (String) call(config, "getJdbcUrl"));
    Object properties = call(config, "getDataSourceProperties");
    if (properties instanceof Properties) {
      for (String key : new String[] {"url", "URL", "jdbcUrl"}) {
        add(servers, ((Properties) properties).getProperty(key));
      }
    }
    return servers;
  }

  private static void add(List<String> servers, String url) {
    String key = ServerKey.of(url);
    if (key != null && !servers.contains(key)) {
      servers.add(key);
    }
  }

  private static Object call(Object target, String getter) throws Exception {
    Method m = target.getClass().getMethod(getter);
    return m.invoke(target);
  }
}
