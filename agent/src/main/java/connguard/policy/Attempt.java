package connguard.policy;

/**
 * What is known about a call that failed on a dead connection: the input of {@link RetryPolicy}.
 * Immutable; build with {@link #builder(Operation)}. Builder defaults are the cautious values:
 * autocommit on, no earlier work, not proven unsent, parameters NOT replayable, no idempotence
 * declared, session not pinned, no retries yet, SQL unknown, transaction not replayable, commit
 * outcome not resolvable.
 */
public final class Attempt {
  private final Operation operation;
  private final SqlFacts sql;
  private final boolean autoCommit;
  private final int workInTransaction;
  private final boolean provenUnsent;
  private final boolean replayableParameters;
  private final boolean idempotentSqlMatch;
  private final boolean sessionPinned;
  private final int retriesSoFar;
  private final boolean transactionReplay;
  private final boolean commitOutcomeResolvable;

  private Attempt(Builder b) {
    this.operation = b.operation;
    this.sql = b.sql == null ? SqlFacts.of(null) : b.sql;
    this.autoCommit = b.autoCommit;
    this.workInTransaction = b.workInTransaction;
    this.provenUnsent = b.provenUnsent;
    this.replayableParameters = b.replayableParameters;
    this.idempotentSqlMatch = b.idempotentSqlMatch;
    this.sessionPinned = b.sessionPinned;
    this.retriesSoFar = b.retriesSoFar;
    this.transactionReplay = b.transactionReplay;
    this.commitOutcomeResolvable = b.commitOutcomeResolvable;
  }

  public static Builder builder(Operation operation) {
    return new Builder(operation);
  }

  /** A builder holding this attempt's values, to change one (e.g. retriesSoFar) and build again. */
  public Builder toBuilder() {
    return new Builder(operation)
        .sql(sql)
        .autoCommit(autoCommit)
        .workInTransaction(workInTransaction)
        .provenUnsent(provenUnsent)
        .replayableParameters(replayableParameters)
        .idempotentSqlMatch(idempotentSqlMatch)
        .sessionPinned(sessionPinned)
        .retriesSoFar(retriesSoFar)
        .transactionReplay(transactionReplay)
        .commitOutcomeResolvable(commitOutcomeResolvable);
  }

  /** The call that failed; null only by mistake (then the policy surfaces). */
  public Operation operation() {
    return operation;
  }

  /** Facts of the statement for EXECUTE (a batch: {@link SqlFacts#combine}); never null. */
  public SqlFacts sql() {
    return sql;
  }

  /**
   * False when the call ran inside a transaction, whether opened by setAutoCommit(false) or by a
   * BEGIN statement.
   */
  public boolean isAutoCommit() {
    return autoCommit;
  }

  /**
   * Statements already executed successfully in the current transaction before this call (0: this
   * is the first). Negative means unknown and counts as work done.
   */
  public int workInTransaction() {
    return workInTransaction;
  }

  /** The connection was found dead before this request was sent: nothing reached the server. */
  public boolean isProvenUnsent() {
    return provenUnsent;
  }

  /** False when a parameter was a stream, reader, Blob or Clob that was consumed. */
  public boolean hasReplayableParameters() {
    return replayableParameters;
  }

  /** The user's idempotentSql pattern matched the statement. */
  public boolean isIdempotentSqlMatch() {
    return idempotentSqlMatch;
  }

  /** The session holds state no fresh connection can be given (see {@link SqlFacts#pinsSession}). */
  public boolean isSessionPinned() {
    return sessionPinned;
  }

  /** Re-executions already done for this call. */
  public int retriesSoFar() {
    return retriesSoFar;
  }

  /**
   * transactionReplay=true: the earlier work of the transaction may be replayed on a fresh
   * connection and verified (whether its log allows it is the replayer's to find out).
   */
  public boolean isTransactionReplayOn() {
    return transactionReplay;
  }

  /** For a COMMIT: the transaction id was noted before it was sent, so the server can say what happened. */
  public boolean isCommitOutcomeResolvable() {
    return commitOutcomeResolvable;
  }

  @Override
  public String toString() {
    return "Attempt{" + operation + " " + sql
        + (autoCommit ? " autocommit" : " in-transaction work=" + workInTransaction)
        + (provenUnsent ? " unsent" : "")
        + (replayableParameters ? "" : " unreplayable-parameters")
        + (idempotentSqlMatch ? " idempotentSql" : "")
        + (sessionPinned ? " pinned" : "")
        + (transactionReplay ? " replay" : "")
        + (commitOutcomeResolvable ? " commit-resolvable" : "")
        + " retries=" + retriesSoFar + "}";
  }

  /** Mutable builder; not shared between threads. */
  public static final class Builder {
    private final Operation operation;
    private SqlFacts sql;
    private boolean autoCommit = true;
    private int workInTransaction;
    private boolean provenUnsent;
    private boolean replayableParameters;
    private boolean idempotentSqlMatch;
    private boolean sessionPinned;
    private int retriesSoFar;
    private boolean transactionReplay;
    private boolean commitOutcomeResolvable;

    private Builder(Operation operation) {
      this.operation = operation;
    }

    public Builder sql(SqlFacts facts) {
      this.sql = facts;
      return this;
    }

    public Builder autoCommit(boolean on) {
      this.autoCommit = on;
      return this;
    }

    public Builder workInTransaction(int statements) {
      this.workInTransaction = statements;
      return this;
    }

    public Builder provenUnsent(boolean unsent) {
      this.provenUnsent = unsent;
      return this;
    }

    public Builder replayableParameters(boolean replayable) {
      this.replayableParameters = replayable;
      return this;
    }

    public Builder idempotentSqlMatch(boolean matched) {
      this.idempotentSqlMatch = matched;
      return this;
    }

    public Builder sessionPinned(boolean pinned) {
      this.sessionPinned = pinned;
      return this;
    }

    public Builder retriesSoFar(int retries) {
      this.retriesSoFar = retries;
      return this;
    }

    public Builder transactionReplay(boolean on) {
      this.transactionReplay = on;
      return this;
    }

    public Builder commitOutcomeResolvable(boolean resolvable) {
      this.commitOutcomeResolvable = resolvable;
      return this;
    }

    public Attempt build() {
      return new Attempt(this);
    }
  }
}
