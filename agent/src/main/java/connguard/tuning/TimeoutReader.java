package connguard.tuning;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one session's timeouts ({@link ServerSetting}) over JDBC: the only I/O of this package.
 * The caller owns the connection, its network timeout and its closing.
 */
public final class TimeoutReader {
  /** Per statement; the caller's network timeout bounds a server that does not answer at all. */
  static final int QUERY_TIMEOUT_SECONDS = 15;

  private TimeoutReader() {}

  /** Product and version from the connection's metadata, then {@link #read(Connection, Product, String)}. */
  public static ServerTimeouts read(Connection connection) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String productName = meta.getDatabaseProductName();
    String productVersion = meta.getDatabaseProductVersion();
    Product product = Product.of(productName, productVersion);
    return read(connection, product, versionText(product, productName, productVersion));
  }

  /** "15.2 (Debian ...)" for the products we know, "Oracle 23.4 ..." for the others. */
  public static String versionText(Product product, String productName, String productVersion) {
    return product == Product.OTHER ? productName + " " + productVersion : productVersion;
  }

  /** {@link ServerTimeouts#unknown} for a product whose timeouts we do not know how to read. */
  public static ServerTimeouts read(Connection connection, Product product, String version) throws SQLException {
    if (product == Product.POSTGRESQL) {
      // Session values: they include ALTER ROLE/DATABASE settings and the URL's options, as the app gets them.
      List<String[]> rows = new ArrayList<>();
      try (Statement s = connection.createStatement()) {
        s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        try (ResultSet rs = s.executeQuery("select name, setting, unit from pg_settings where name in ("
            + quotedNames(product) + ")")) {
          while (rs.next()) {
            rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          }
        }
      }
      return ServerTimeouts.postgres(version, rows);
    }
    if (product.isMysqlFamily()) {
      // SHOW VARIABLES gives this session's values: wait_timeout as the server set it for a JDBC client.
      Map<String, String> variables = new LinkedHashMap<>();
      try (Statement s = connection.createStatement()) {
        s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        try (ResultSet rs = s.executeQuery("show variables where variable_name in (" + quotedNames(product) + ")")) {
          while (rs.next()) {
            variables.put(rs.getString(1), rs.getString(2));
          }
        }
      }
      return ServerTimeouts.mysql(product, version, variables);
    }
    return ServerTimeouts.unknown(product, version);
  }

  private static String quotedNames(Product product) {
    StringBuilder names = new StringBuilder();
    for (ServerSetting s : ServerSetting.of(product)) {
      names.append(names.length() == 0 ? "" : ", ").append('\'').append(s.serverName).append('\'');
    }
    return names.toString();
  }
}
