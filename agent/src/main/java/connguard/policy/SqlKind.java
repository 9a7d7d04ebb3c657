package connguard.policy;

/** What a SQL text does, as far as re-running it is concerned. */
public enum SqlKind {
  /** Only reads, with certainty: safe to run again. */
  READ,
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
