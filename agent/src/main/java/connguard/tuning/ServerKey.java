package connguard.tuning;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "postgresql://127.0.0.1:5432/test" for every URL that reaches that database: a pool's jdbcUrl
 * and the URL a driver's DataSource rebuilds from it differ in their parameters (pgjdbc lists all
 * of its defaults), not in where they go.
 */
public final class ServerKey {
  private static final Pattern URL = Pattern.compile(
      "jdbc:([a-z0-9]+)(?::[a-z0-9]+)*://(?:[^/@?]*@)?([^/:?,;]+|\\[[^\\]]+\\])(?::(\\d+))?(?:/([^?;&]*))?(?:[?;&].*)?",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private ServerKey() {}

  /** Null for anything but a single-host JDBC URL (a DataSource class name, a failover list). */
  public static String of(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      return null;
    }
    String protocol = m.group(1).toLowerCase(Locale.ROOT);
    String port = m.group(3) != null ? m.group(3) : defaultPort(protocol);
    String database = m.group(4) != null ? m.group(4) : "";
    return protocol + "://" + m.group(2).toLowerCase(Locale.ROOT) + ":" + port + "/" + database;
  }

  private static String defaultPort(String protocol) {
    if (protocol.equals("postgresql")) {
      return "5432";
    }
    if (protocol.equals("mysql") || protocol.equals("mariadb")) {
      return "3306";
    }
    return "";
  }
}
