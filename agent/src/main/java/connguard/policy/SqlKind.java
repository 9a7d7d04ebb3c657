package connguard.policy;

/** What a SQL text does, as far as re-running it is concerned. */
public enum SqlKind {
  /** Only reads, with certainty: safe to run again. */
  READ,
  /**
   * Only reads, but its answer belongs to the session that ran it: LAST_INSERT_ID(), currval,
   * FOUND_ROWS(), @@IDENTITY, SHOW WARNINGS. A fresh connection would answer something else.
   */
  SESSION_BOUND_READ,
  /** Takes the next number of a sequence (nextval, NEXT VALUE FOR s, s.nextval): never a read. */
  SEQUENCE_FETCH,
  /** Writes, locks, or calls something we cannot vouch for. */
  WRITE,
  /** Changes session settings (SET, USE, RESET, DISCARD). */
  SESSION,
  /** BEGIN, START TRANSACTION. */
  TX_BEGIN,
  /** COMMIT, END. */
  TX_COMMIT,
  /** ROLLBACK, ABORT (not ROLLBACK TO SAVEPOINT, which is a WRITE). */
  TX_ROLLBACK,
  /** Could not be read with certainty; counts as a write. */
  UNKNOWN
}
