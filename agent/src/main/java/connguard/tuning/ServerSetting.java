package connguard.tuning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The server settings the doctor reads: each one can close a JDBC session, cut a statement, or
 * decide how soon a dead peer is noticed. Names as the server spells them.
 */
public enum ServerSetting {
  // PostgreSQL; pg_settings gives each with its unit.
  IDLE_SESSION_TIMEOUT(Product.POSTGRESQL, "idle_session_timeout", true,
      "closes a session idle outside a transaction (PostgreSQL 14+)"),
  IDLE_IN_TRANSACTION_SESSION_TIMEOUT(Product.POSTGRESQL, "idle_in_transaction_session_timeout", true,
      "closes a session idle inside a transaction"),
  STATEMENT_TIMEOUT(Product.POSTGRESQL, "statement_timeout", true,
      "cancels a statement running longer (57014)"),
  TCP_KEEPALIVES_IDLE(Product.POSTGRESQL, "tcp_keepalives_idle", true,
      "server's first TCP keepalive probe after this much silence"),
  TCP_KEEPALIVES_INTERVAL(Product.POSTGRESQL, "tcp_keepalives_interval", true,
      "between unanswered probes"),
  TCP_KEEPALIVES_COUNT(Product.POSTGRESQL, "tcp_keepalives_count", false,
      "unanswered probes before the server drops the connection"),

  // MySQL and MariaDB; SHOW VARIABLES gives whole seconds, this session's values.
  WAIT_TIMEOUT(Product.MYSQL, "wait_timeout", true,
      "closes a session idle this long (JDBC clients are non-interactive)"),
  INTERACTIVE_TIMEOUT(Product.MYSQL, "interactive_timeout", true,
      "wait_timeout of interactive clients only (e.g. interactiveClient=true)"),
  NET_READ_TIMEOUT(Product.MYSQL, "net_read_timeout", true,
      "closes a connection that stalls while sending a statement"),
  NET_WRITE_TIMEOUT(Product.MYSQL, "net_write_timeout", true,
      "closes a connection that stalls while reading a result");

  /** {@link Product#MYSQL} stands for MariaDB too. */
  public final Product product;
  public final String serverName;
  /** A duration (held in ms) or a plain count. */
  public final boolean isDuration;
  public final String meaning;

  ServerSetting(Product product, String serverName, boolean isDuration, String meaning) {
    this.product = product;
    this.serverName = serverName;
    this.isDuration = isDuration;
    this.meaning = meaning;
  }

  /** This product's settings, in the order the report lists them. */
  public static List<ServerSetting> of(Product product) {
    Product family = product.isMysqlFamily() ? Product.MYSQL : product;
    List<ServerSetting> settings = new ArrayList<>();
    for (ServerSetting s : values()) {
      if (s.product == family) {
        settings.add(s);
      }
    }
    return Collections.unmodifiableList(settings);
  }

  public static ServerSetting named(Product product, String serverName) {
    for (ServerSetting s : of(product)) {
      if (s.serverName.equalsIgnoreCase(serverName)) {
        return s;
      }
    }
    return null;
  }
}
