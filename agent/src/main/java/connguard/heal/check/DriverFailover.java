package connguard.heal.check;

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
    return u.startsWith("jdbc:mysql://") && hostPart(u, "jdbc:mysql://").indexOf(',') >= 0;
  }

  private static String hostPart(String url, String prefix) {
    int end = url.length();
    for (char c : new char[] {'/', '?'}) {
      int at = url.indexOf(c, prefix.length());
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return url.substring(prefix.length(), end);
  }
}
