package connguard.policy;

/**
 * The SQL dialect of the server a connection talks to: how its text is split (string escapes,
 * comments, dollar quotes, executable comments) and which built-in functions it has. UNKNOWN reads
 * every text the ways of PostgreSQL and MySQL at once and takes only what both agree on.
 * The mapping from a server's product name is {@code tuning.Product#dialect()}; before a server
 * was asked, {@link #guessFromDriver} names the family from the driver alone.
 */
public enum Dialect {
  POSTGRESQL,
  /** MySQL, or a server of the MySQL family not yet told apart (MariaDB's /*M! stays undecided). */
  MYSQL,
  MARIADB,
  H2,
  UNKNOWN;

  public boolean isMysqlFamily() {
    return this == MYSQL || this == MARIADB;
  }

  /**
   * The family from the driver's Connection class alone: pgjdbc is PostgreSQL, MariaDB
   * Connector/J and MySQL Connector/J speak to either server of the MySQL family (MYSQL, which
   * keeps MariaDB-only syntax undecided), H2's own driver is H2. Anything else is UNKNOWN.
   */
  public static Dialect guessFromDriver(String connectionClassName) {
    if (connectionClassName == null) {
      return UNKNOWN;
    }
    if (connectionClassName.startsWith("org.postgresql.")) {
      return POSTGRESQL;
    }
    if (connectionClassName.startsWith("org.mariadb.") || connectionClassName.startsWith("com.mysql.")) {
      return MYSQL;
    }
    if (connectionClassName.startsWith("org.h2.")) {
      return H2;
    }
    return UNKNOWN;
  }
}
