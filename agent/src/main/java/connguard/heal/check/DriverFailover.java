package connguard.heal.check;

import connguard.tuning.JdbcUrl;
import java.util.Locale;

/**
 * Reads from a JDBC URL whether the driver fails over by itself (see
 * {@link ConnectionFactory#driverFailsOver}). Pure: a URL in, a yes or no out.
 */
public final class DriverFailover {
  private static final String[] FAILOVER_PREFIXES = {
      "jdbc:mariadb:sequential:", "jdbc:mariadb:loadbalance:", "jdbc:mariadb:replication:",
      "jdbc:mariadb:aurora:", "jdbc:mariadb:failover:",
      "jdbc:mysql:loadbalance:", "jdbc:mysql:replication:", "jdbc:mysql+srv:loadbalance:",
      "jdbc:mysql+srv:replication:"};

  private DriverFailover() {}

  public static boolean enabledBy(String url) {
    if (url == null) {
      return false;
    }
    String u = url.toLowerCase(Locale.ROOT);
    for (String prefix : FAILOVER_PREFIXES) {
      if (u.startsWith(prefix)) {
        return true;
      }
    }
    // MySQL Connector/J: more than one host in jdbc:mysql://h1,h2/db is its failover mode.
    return u.startsWith("jdbc:mysql://") && JdbcUrl.hostPart(u).indexOf(',') >= 0;
  }
}
