package connguard.policy;

/** Everything the retry decision looks at, about one failed call on a dead connection. */
public final class Attempt {
  final Operation operation;
  final SqlFacts sql;
  final boolean autoCommit;
  final int workInTransaction;
  final boolean provenUnsent;
  final boolean replayableParameters;
  final boolean idempotentSqlMatch;
  final boolean sessionPinned;
  final int retriesSoFar;

  private Attempt(Builder b) {
    this.operation = b.operation;
    this.sql = b.sql != null ? b.sql : SqlFacts.of(null);
    this.autoCommit = b.autoCommit;
    this.workInTransaction = b.workInTransaction;
    this.provenUnsent = b.provenUnsent;
    this.replayableParameters = b.replayableParameters;
    this.idempotentSqlMatch = b.idempotentSqlMatch;
    this.sessionPinned = b.sessionPinned;
    this.retriesSoFar = b.retriesSoFar;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults describe the most cautious case: an autocommit statement of unknown SQL, first try. */
  public static final class Builder {
    private Operation operation = Operation.EXECUTE;
    private SqlFacts sql;
    private boolean autoCommit = true;
    private int workInTransaction;
    private boolean provenUnsent;
    private boolean replayableParameters = true;
    private boolean idempotentSqlMatch;
    private boolean sessionPinned;
    private int retriesSoFar;

    public Builder operation(Operation value) { operation = value; return this; }
    public Builder sql(SqlFacts value) { sql = value; return this; }
    /** The connection's mode when the call was made (false also inside a BEGIN sent as SQL). */
    public Builder autoCommit(boolean value) { autoCommit = value; return this; }
    /** Calls that succeeded in the current transaction before this one; 0: this one is the first. */
    public Builder workInTransaction(int value) { workInTransaction = value; return this; }
    /** The connection was found dead and closed before this call was sent: nothing reached the server. */
    public Builder provenUnsent(boolean value) { provenUnsent = value; return this; }
    /** False when a parameter was a stream, reader or LOB that the first attempt consumed. */
    public Builder replayableParameters(boolean value) { replayableParameters = value; return this; }
    public Builder idempotentSqlMatch(boolean value) { idempotentSqlMatch = value; return this; }
    /** The session held state a fresh connection cannot get back (temp table, cursor, lock, LISTEN). */
    public Builder sessionPinned(boolean value) { sessionPinned = value; return this; }
    public Builder retriesSoFar(int value) { retriesSoFar = value; return this; }

    public Attempt build() {
      return new Attempt(this);
    }
  }
}
