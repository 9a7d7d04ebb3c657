package connguard.policy;

/** The JDBC call that failed, as far as re-running it is concerned. */
public enum Operation {
  /** A statement execution (execute, executeQuery, executeUpdate, executeBatch ...). */
  EXECUTE,
  /** createStatement, prepareStatement, prepareCall: no server-side data effect. */
  PREPARE,
  /** Connection.commit(). */
  COMMIT,
  /** Connection.rollback(). */
  ROLLBACK,
  /** setAutoCommit(false), setReadOnly, setTransactionIsolation, setSchema, setCatalog ... */
  SESSION_SETTER,
  /** setAutoCommit(true) while a transaction is open: it commits the transaction. */
  ENABLE_AUTOCOMMIT
}
