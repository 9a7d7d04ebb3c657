package connguard.tuning;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The standbys a primary streams to, as it sees them ({@code pg_stat_replication}; MariaDB's
 * {@code SHOW SLAVE HOSTS}, MySQL's {@code SHOW REPLICAS}), and whether the app's URL would
 * follow a failover to one of them: it names more than one host. For {@code doctor}: a URL with
 * one host reaches the new primary after a failover only if that name moves to it.
 */
public final class Standbys {
  /**
   * Each standby as "host:port" or what the server says of it; empty: none seen, or not readable
   * (a missing privilege), where the doctor has nothing to say either.
   */
  public final List<String> seen;

  Standbys(List<String> seen) {
    this.seen = Collections.unmodifiableList(new ArrayList<String>(seen));
  }

  public static Standbys read(Connection connection, Product product) {
    String query;
    switch (product) {
      case POSTGRESQL:
        query = "select coalesce(host(client_addr), client_hostname, application_name, 'a standby') from pg_stat_replication";
        break;
      case MARIADB:
        query = "SHOW SLAVE HOSTS";
        break;
      case MYSQL:
        query = "SHOW REPLICAS";
        break;
      default:
        return new Standbys(new ArrayList<String>());
    }
    List<String> seen = new ArrayList<String>();
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        // SHOW SLAVE HOSTS / SHOW REPLICAS: Server_id, Host, Port, ...
        seen.add(product == Product.POSTGRESQL ? rows.getString(1) : rows.getString(2) + ":" + rows.getString(3));
      }
      return new Standbys(seen);
    } catch (SQLException notReadable) {
      return new Standbys(seen);
    }
  }

  /**
   * The doctor's note, or null when there is nothing to say: standbys exist and the URL names one
   * host (a DNS name or VIP that moves is fine, but only the operator knows whether it does).
   */
  public String note(String url, Product product) {
    if (seen.isEmpty() || JdbcUrl.namesSeveralHosts(url)) {
      return null;
    }
    String example = product == Product.POSTGRESQL
        ? "jdbc:postgresql://<this host>,<standby>/<db>?targetServerType=primary"
        : "jdbc:mariadb:sequential://<this host>,<standby>/<db> (MySQL Connector/J: jdbc:mysql://<this host>,<standby>/<db>)";
    return "this server streams to " + seen.size() + (seen.size() == 1 ? " standby" : " standbys") + " (" + join(seen)
        + ") but the URL names one host: after a failover the app reaches the new primary only if that name"
        + " (DNS, VIP, proxy) moves to it. A multi-host URL follows it without that: " + example
        + "; connguard then moves a connection that lands on a standby to the primary";
  }

  private static String join(List<String> items) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < items.size() && i < 5; i++) {
      out.append(i == 0 ? "" : ", ").append(items.get(i));
    }
    return items.size() > 5 ? out.append(", ...").toString() : out.toString();
  }
}
