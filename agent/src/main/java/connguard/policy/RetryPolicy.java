package connguard.policy;

/**
 * May a call that failed on a dead connection run again on a fresh one? The one place this is
 * decided. Pure and thread-safe. Correctness over availability: a duplicated write is worse than
 * a failure the app sees.
 *
 * <p>Facts behind the rules (DESIGN-NOTES section 4): when a connection dies, the server rolls back
 * its open transaction; a dead-connection error does not prove a statement did not run (COMMITs
 * and autocommit writes failing with 57P01 or 08000 had usually been applied); only "found dead
 * before sending" proves a request unsent.
 */
public final class RetryPolicy {
  private final int maxRetries;

  /** @param maxRetries re-executions allowed per call; 0 turns retrying off */
  public RetryPolicy(int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
  }

  public int maxRetries() {
    return maxRetries;
  }

  /** RETRY or SURFACE for one failed call. Never throws. */
  public Decision decide(Attempt attempt) {
    if (attempt == null || attempt.operation() == null) {
      return Decision.UNKNOWN_OPERATION;
    }
    Operation op = attempt.operation();
    SqlFacts sql = attempt.sql();
    boolean executes = op == Operation.EXECUTE;
    boolean inTransaction = !attempt.isAutoCommit();
    boolean earlierWork = attempt.workInTransaction() != 0;

    // 1. Every loop is bounded: a connection that keeps dying is the app's to see.
    if (attempt.retriesSoFar() >= maxRetries) {
      return Decision.RETRIES_EXHAUSTED;
    }
    // 2. Temp tables, cursors, session locks, LISTEN: a fresh connection would silently lack them.
    if (attempt.isSessionPinned()) {
      return Decision.SESSION_PINNED;
    }
    // 3. The user said so, in the statement itself.
    if (sql.hint() == RetryHint.NEVER) {
      return Decision.MARKED_NEVER;
    }
    // 4. A commit whose reply was lost may have been applied: correctness over availability.
    //    Only an empty transaction has nothing to lose. setAutoCommit(true) and a COMMIT
    //    statement commit the same way.
    //    Never re-sent: on PostgreSQL the caller may ask the server for the outcome instead, by the
    //    transaction id it noted before sending (only commit() itself; a COMMIT statement is not noted).
    if (op == Operation.COMMIT || op == Operation.ENABLE_AUTOCOMMIT
        || (executes && sql.kind() == SqlKind.TX_COMMIT)) {
      if (!earlierWork) {
        return Decision.EMPTY_TRANSACTION;
      }
      //    A COMMIT proven never sent is not of unknown outcome: the transaction was simply lost,
      //    and a verified replay may send it now.
      if (op == Operation.COMMIT && attempt.isProvenUnsent() && attempt.isTransactionReplayOn()) {
        return Decision.REPLAY_TRANSACTION;
      }
      return op == Operation.COMMIT && attempt.isCommitOutcomeResolvable()
          ? Decision.RESOLVE_COMMIT_OUTCOME : Decision.COMMIT_OUTCOME_UNKNOWN;
    }
    // 5. The server rolled back when the connection died: the rollback the app asked for is done
    //    (the caller heals and reports success). A ROLLBACK statement is the same request.
    if (op == Operation.ROLLBACK || (executes && sql.kind() == SqlKind.TX_ROLLBACK)) {
      return Decision.ALREADY_ROLLED_BACK;
    }
    // 7 (before 6). Anything else inside a transaction with earlier work: that work is gone, so
    //    carrying on silently on a fresh connection would commit half a transaction. This holds
    //    for createStatement and setters too, even if unsent or idempotent.
    //    With transactionReplay the earlier work can be replayed and verified first; the failed
    //    call then runs as the next statement of the restored transaction (its own effect, if
    //    any, was rolled back with the rest), unless it commits by itself.
    if (inTransaction && earlierWork) {
      if (!attempt.isTransactionReplayOn() || (executes && sql.commitsImplicitly())) {
        return Decision.TRANSACTION_BROKEN;
      }
      if (executes && sql.kind() == SqlKind.SESSION_BOUND_READ) {
        // Even after a verified replay, LAST_INSERT_ID() may name a row inserted before the
        // transaction began, by the session that died.
        return Decision.SESSION_BOUND_READ.because(sql.detail());
      }
      if (executes && !attempt.hasReplayableParameters()) {
        return Decision.PARAMETERS_NOT_REPLAYABLE;
      }
      return Decision.REPLAY_TRANSACTION;
    }
    // 6. Creating a statement or changing a setting has no data effect.
    if (op == Operation.PREPARE || op == Operation.SESSION_SETTER) {
      return Decision.NO_DATA_EFFECT;
    }
    if (!executes) {
      return Decision.UNKNOWN_OPERATION;
    }
    // 8. A consumed stream cannot be sent again.
    if (!attempt.hasReplayableParameters()) {
      return Decision.PARAMETERS_NOT_REPLAYABLE;
    }
    // 8b. LAST_INSERT_ID(), currval, FOUND_ROWS(), @@IDENTITY, SHOW WARNINGS: the answer belongs to
    //     the session that died, and a fresh one answers something else (LAST_INSERT_ID() says 0,
    //     a wrong id the app would store). Never re-executed, not even when unsent.
    if (sql.kind() == SqlKind.SESSION_BOUND_READ) {
      return Decision.SESSION_BOUND_READ.because(sql.detail());
    }
    // 9. Nothing reached the server: running it now is running it once.
    if (attempt.isProvenUnsent()) {
      return Decision.NEVER_SENT;
    }
    // 10. The first statement of a transaction: the server rolled the transaction back, so even a
    //     write left nothing behind, unless the statement commits by itself (MySQL DDL, CALL).
    if (inTransaction && !sql.commitsImplicitly()) {
      return Decision.FIRST_IN_TRANSACTION;
    }
    // 11. Reads, session settings and transaction starts change no data. A sequence fetch is not
    //     a read on any database: it is ruled as a write below, with its own reason.
    switch (sql.kind()) {
      case READ:
        return Decision.READ;
      case SESSION:
        return Decision.SESSION_STATEMENT;
      case TX_BEGIN:
        return Decision.TRANSACTION_CONTROL;
      default:
        break;
    }
    // 12. The user vouched that running it twice has the effect of running it once.
    if (sql.hint() == RetryHint.IDEMPOTENT || attempt.isIdempotentSqlMatch()) {
      return Decision.DECLARED_IDEMPOTENT;
    }
    // 13. A write that may have reached the server: its outcome is unknown. A sequence fetch is
    //     one: the lost request may have taken a number, and the app may hold an earlier one.
    if (sql.kind() == SqlKind.SEQUENCE_FETCH) {
      return Decision.SEQUENCE_FETCH_OUTCOME_UNKNOWN.because(sql.detail());
    }
    return Decision.WRITE_OUTCOME_UNKNOWN.because(sql.detail());
  }
}
