package connguard.tuning;

import connguard.policy.FunctionCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what a server's SQL is, once, on the agent's own connection (the one that reads its
 * timeouts): PostgreSQL's standard_conforming_strings and every function by name, kind and
 * declared volatility; MySQL's sql_mode and, if the user trusts declarations, the stored
 * functions declared NO SQL or READS SQL DATA. Bounded like {@link TimeoutReader}: a query timeout
 * per statement, the caller's network timeout for a server that does not answer. The caller
 * owns the connection.
 */
public final class FunctionCatalogReader {
  /**
   * One row per function name and kind (built-in or not): a few thousand rows, a few hundred KB.
   * A built-in is what initdb made (pg_catalog, information_schema); procedures are not called
   * from a SELECT.
   */
  static final String POSTGRES_FUNCTIONS = "select p.proname, n.nspname in ('pg_catalog', 'information_schema'),"
      + " bool_and(p.provolatile in ('i', 's')), bool_and(l.lanname in ('sql', 'plpgsql'))"
      + " from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace"
      + " join pg_catalog.pg_language l on l.oid = p.prolang where p.prokind <> 'p' group by 1, 2";

  static final String MYSQL_TRUSTED_FUNCTIONS = "select routine_name from information_schema.routines"
      + " where routine_type = 'FUNCTION' group by routine_name"
      + " having sum(sql_data_access not in ('NO SQL', 'READS SQL DATA')) = 0";

  private FunctionCatalogReader() {}

  /** The server's catalog; {@link FunctionCatalog#builtin} for a product we do not read. */
  public static FunctionCatalog read(Connection connection, Product product, boolean trustDeclaredVolatility)
      throws SQLException {
    if (product == Product.POSTGRESQL) {
      FunctionCatalog.PostgresBuilder functions = FunctionCatalog.postgres();
      boolean standardStrings;
      try (Statement s = connection.createStatement()) {
        s.setQueryTimeout(TimeoutReader.QUERY_TIMEOUT_SECONDS);
        try (ResultSet rs = s.executeQuery("select current_setting('standard_conforming_strings')")) {
          standardStrings = !rs.next() || !"off".equalsIgnoreCase(rs.getString(1));
        }
        try (ResultSet rs = s.executeQuery(POSTGRES_FUNCTIONS)) {
          while (rs.next()) {
            functions.function(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4));
          }
        }
      }
      return functions.build(standardStrings, trustDeclaredVolatility);
    }
    if (product.isMysqlFamily()) {
      boolean backslashEscapes;
      Set<String> trusted = new HashSet<String>();
      try (Statement s = connection.createStatement()) {
        s.setQueryTimeout(TimeoutReader.QUERY_TIMEOUT_SECONDS);
        try (ResultSet rs = s.executeQuery("select @@session.sql_mode")) {
          String mode = rs.next() ? rs.getString(1) : null;
          backslashEscapes = mode == null || !mode.toUpperCase(Locale.ROOT).contains("NO_BACKSLASH_ESCAPES");
        }
        if (trustDeclaredVolatility) {
          try (ResultSet rs = s.executeQuery(MYSQL_TRUSTED_FUNCTIONS)) {
            while (rs.next()) {
              trusted.add(rs.getString(1));
            }
          }
        }
      }
      return FunctionCatalog.mysql(product.dialect(), backslashEscapes, trusted);
    }
    return FunctionCatalog.builtin(product.dialect());
  }
}
