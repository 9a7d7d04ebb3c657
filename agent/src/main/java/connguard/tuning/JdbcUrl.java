package connguard.tuning;

import java.util.Locale;

/**
 * What a JDBC URL says about where it connects, read the same way wherever it matters: does it
 * name more than one host (a driver that fails over by itself, a URL that follows a failover)?
 * Pure; never sees or keeps a password (the host part comes before any '?').
 */
public final class JdbcUrl {
  private JdbcUrl() {}

  /**
   * The host list between "//" and the first '/' or '?' after it, lower case; empty when the URL
   * has none (an embedded database, a URL of another form).
   */
  public static String hostPart(String url) {
    if (url == null) {
      return "";
    }
    String u = url.toLowerCase(Locale.ROOT);
    int start = u.indexOf("//");
    if (start < 0) {
      return "";
    }
    int end = u.length();
    for (char c : new char[] {'/', '?'}) {
      int at = u.indexOf(c, start + 2);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return u.substring(start + 2, end);
  }

  /** Several hosts: {@code h1,h2} (pgjdbc, MariaDB, MySQL) or several {@code address=(...)} (MySQL, MariaDB). */
  public static boolean namesSeveralHosts(String url) {
    String hosts = hostPart(url);
    int address = hosts.indexOf("address=");
    return hosts.indexOf(',') >= 0 || (address >= 0 && address != hosts.lastIndexOf("address="));
  }
}
