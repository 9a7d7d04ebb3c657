package connguard.policy;

/**
 * May a call that failed on a dead connection run again on a fresh one? The one place this is
 * decided. Rules in order; the first that applies wins. Correctness over availability: when a
 * write may have reached the server and nothing proves it is harmless to repeat, the app gets
 * the error.
 */
public final class RetryPolicy {
  private final int maxRetries;

  public RetryPolicy(int maxRetries) {
    this.maxRetries = maxRetries;
  }

  public Decision decide(Attempt a) {
    // Bounded: a connection that keeps dying must not turn one call into a retry storm.
    if (a.retriesSoFar >= maxRetries) {
      return Decision.surface("retries exhausted (maxRetries=" + maxRetries + ")");
    }
    // A temp table, cursor, advisory lock or LISTEN is gone with the session: pretending would lie.
    if (a.sessionPinned) {
      return Decision.surface("session state cannot be restored");
    }
    if (a.sql.hint() == RetryHint.NEVER) {
      return Decision.surface("statement marked never-retry");
    }
    SqlKind kind = a.sql.kind();
    // COMMIT (by JDBC or as SQL, or implied by setAutoCommit(true)): its outcome is unknown once sent.
    if (a.operation == Operation.COMMIT || a.operation == Operation.ENABLE_AUTOCOMMIT
        || (a.operation == Operation.EXECUTE && kind == SqlKind.TX_COMMIT)) {
      return a.workInTransaction == 0
          ? Decision.retry("empty transaction: nothing to lose")
          : Decision.surface("commit outcome unknown");
    }
    // The server rolled back when the connection died: a rollback has nothing left to do.
    if (a.operation == Operation.ROLLBACK) {
      return Decision.retry("server rolled back already");
    }
    // Creating statements, setting parameters or session settings changes no data.
    if (a.operation == Operation.PREPARE || a.operation == Operation.SESSION_SETTER) {
      return Decision.retry("no data effect");
    }
    // Earlier statements of this transaction were rolled back with the connection: continuing
    // on a fresh one would commit half a transaction.
    if (!a.autoCommit && a.workInTransaction > 0) {
      return Decision.surface("transaction broken: earlier work was rolled back");
    }
    // A consumed stream would be sent again empty.
    if (!a.replayableParameters) {
      return Decision.surface("parameters cannot be replayed (stream)");
    }
    if (a.provenUnsent) {
      return Decision.retry("never sent");
    }
    // The first statement of a transaction: the server rolled the transaction back, so even a
    // write left nothing behind.
    if (!a.autoCommit) {
      return Decision.retry("first statement of a transaction");
    }
    if (kind == SqlKind.READ) {
      return Decision.retry("read");
    }
    if (kind == SqlKind.SESSION || kind == SqlKind.TX_BEGIN || kind == SqlKind.TX_ROLLBACK) {
      return Decision.retry("session statement");
    }
    if (a.sql.hint() == RetryHint.IDEMPOTENT || a.idempotentSqlMatch) {
      return Decision.retry("declared idempotent");
    }
    return Decision.surface("write outcome unknown");
  }
}
