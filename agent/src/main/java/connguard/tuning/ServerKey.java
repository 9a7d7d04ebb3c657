package connguard.tuning;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JDBC URL goes: its subprotocol, host, port and database, never its user, password or
 * parameters. {@link #of} is "postgresql://127.0.0.1:5432/test" for every URL that reaches that
 * database: a pool's jdbcUrl and the URL a driver's DataSource rebuilds from it differ in their
 * parameters (pgjdbc lists all of its defaults), not in where they go.
 */
public final class ServerKey {
  private static final Pattern URL = Pattern.compile(
      "jdbc:([a-z0-9]+)(?::[a-z0-9]+)*://(?:[^/@?]*@)?([^/:?,;]+|\\[[^\\]]+\\])(?::(\\d+))?(?:/([^?;&]*))?(?:[?;&].*)?",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** The URL's subprotocol in lower case: postgresql, mysql, mariadb, h2 ... */
  public final String protocol;
  /** In lower case; an IPv6 address keeps its brackets. */
  public final String host;
  /** The URL's port, else the protocol's default (5432, 3306), else "". */
  public final String port;
  /** The database the URL names, "" when none. */
  public final String database;

  private ServerKey(String protocol, String host, String port, String database) {
    this.protocol = protocol;
    this.host = host;
    this.port = port;
    this.database = database;
  }

  /** Null for anything but a single-host JDBC URL (a DataSource class name, a failover list). */
  public static ServerKey parse(String url) {
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
    return new ServerKey(protocol, m.group(2).toLowerCase(Locale.ROOT), port, database);
  }

  /** The key as text, or null for anything but a single-host JDBC URL. */
  public static String of(String url) {
    ServerKey key = parse(url);
    return key == null ? null : key.toString();
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

  @Override public String toString() {
    return protocol + "://" + host + ":" + port + "/" + database;
  }
}
