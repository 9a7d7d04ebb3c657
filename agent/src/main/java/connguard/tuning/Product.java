package connguard.tuning;

import connguard.policy.Dialect;
import java.util.Locale;

/** The kind of database server, as far as the doctor knows which timeouts it has. */
public enum Product {
  POSTGRESQL("PostgreSQL"),
  MYSQL("MySQL"),
  MARIADB("MariaDB"),
  OTHER("other");

  public final String displayName;

  Product(String displayName) {
    this.displayName = displayName;
  }

  /**
   * From {@code DatabaseMetaData}. MySQL Connector/J calls a MariaDB server "MySQL"; its version
   * ("10.11.19-MariaDB-...") tells them apart.
   */
  public static Product of(String productName, String version) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    String v = version == null ? "" : version.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || (name.contains("mysql") && v.contains("mariadb"))) {
      return MARIADB;
    }
    if (name.contains("mysql")) {
      return MYSQL;
    }
    return OTHER;
  }

  public boolean isMysqlFamily() {
    return this == MYSQL || this == MARIADB;
  }

  /** The SQL dialect the agent reads this server's statements in: the one mapping of the two. */
  public Dialect dialect() {
    switch (this) {
      case POSTGRESQL:
        return Dialect.POSTGRESQL;
      case MYSQL:
        return Dialect.MYSQL;
      case MARIADB:
        return Dialect.MARIADB;
      default:
        return Dialect.UNKNOWN;
    }
  }
}
