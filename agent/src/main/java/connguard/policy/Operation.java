package connguard.policy;

/** What kind of JDBC call failed, as far as re-running it is concerned. */
public enum Operation {
  /** A statement: execute, executeQuery, executeUpdate, executeBatch; also savepoints. */
  EXECUTE,
  /** createStatement/prepareStatement/prepareCall, parameter setters: no effect on data. */
  PREPARE,
  COMMIT,
  ROLLBACK,
  /** setReadOnly, setTransactionIsolation, setSchema, setAutoCommit(false) ...: session only. */
  SESSION_SETTER,
  /** setAutoCommit(true) while a transaction is open: JDBC commits it. */
  ENABLE_AUTOCOMMIT
}
