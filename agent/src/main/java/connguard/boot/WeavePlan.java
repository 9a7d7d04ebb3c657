package connguard.boot;

import java.util.Set;

/**
 * What a class being defined gets, decided from its supertypes: a Driver's {@code connect}, a
 * driver DataSource's {@code getConnection}, HikariCP's {@code validate}, or, for a Connection,
 * Statement or (with transactionReplay) ResultSet, the state field and every java.sql method.
 */
final class WeavePlan {
  static final String HIKARI_CONFIG = "com/zaxxer/hikari/HikariConfig";
  /**
   * HikariCP's proxies (HikariProxyConnection, ProxyPreparedStatement ...) wrap connections the
   * pool made through a guarded driver: they never get state, so weaving them would only pass
   * every call through the bridge once more, and cost their ~200 methods at start-up.
   */
  private static final String HIKARI_PROXIES = "com/zaxxer/hikari/pool/";

  final Set<String> supertypes;
  final boolean driver;
  /** Only a driver's own DataSource (it also makes pooled or XA connections): a pool's getConnection returns a proxy of a connection that is guarded already. */
  final boolean dataSource;
  final boolean poolConfig;
  /** Null: no state field, no java.sql method woven. */
  final Role role;
  final boolean recordResults;

  private WeavePlan(Set<String> supertypes, boolean poolConfig, boolean poolProxy, boolean transactionReplay) {
    this.supertypes = supertypes;
    this.driver = supertypes.contains("java/sql/Driver");
    this.dataSource = supertypes.contains("javax/sql/DataSource")
        && (supertypes.contains("javax/sql/ConnectionPoolDataSource") || supertypes.contains("javax/sql/XADataSource"));
    this.poolConfig = poolConfig;
    if (poolProxy) {
      role = null;
    } else if (supertypes.contains("java/sql/Connection")) {
      role = Role.CONNECTION;
    } else if (supertypes.contains("java/sql/Statement")) {
      role = Role.STATEMENT;
    } else if (transactionReplay && supertypes.contains("java/sql/ResultSet")) {
      // Its rows feed the transaction log's digests; without replay nothing of it is woven.
      role = Role.RESULT_SET;
    } else {
      role = null;
    }
    this.recordResults = transactionReplay;
  }

  /** @param supertypes the class itself and every supertype, internal names */
  static WeavePlan of(String name, Set<String> supertypes, boolean transactionReplay) {
    return new WeavePlan(supertypes, name.equals(HIKARI_CONFIG), isPoolProxy(name), transactionReplay);
  }

  /** A pool's proxy of a guarded connection or statement: never woven (internal name). */
  static boolean isPoolProxy(String name) {
    return name.startsWith(HIKARI_PROXIES);
  }

  boolean weavesAnything() {
    return driver || dataSource || poolConfig || role != null;
  }
}
