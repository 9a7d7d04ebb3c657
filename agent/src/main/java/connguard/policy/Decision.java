package connguard.policy;

/**
 * RETRY or SURFACE, with a short reason for logs and tests. One constant per reason; compare them
 * with {@code ==}, or with {@link #category()} for a decision that names the statement's own words
 * ({@link #because}): "not re-executed: LAST_INSERT_ID() belongs to the lost session".
 */
public final class Decision {

  public static final Decision RETRIES_EXHAUSTED = surface("retries exhausted");
  public static final Decision SESSION_PINNED = surface("session state cannot be restored");
  public static final Decision MARKED_NEVER = surface("statement marked never-retry");
  public static final Decision EMPTY_TRANSACTION = retry("empty transaction: nothing to lose");
  public static final Decision COMMIT_OUTCOME_UNKNOWN = surface("commit outcome unknown");
  public static final Decision ALREADY_ROLLED_BACK = retry("server rolled back already");
  public static final Decision TRANSACTION_BROKEN =
      surface("transaction broken: earlier work was rolled back");
  public static final Decision NO_DATA_EFFECT = retry("no data effect");
  public static final Decision PARAMETERS_NOT_REPLAYABLE =
      surface("parameters cannot be replayed (stream)");
  public static final Decision NEVER_SENT = retry("never sent");
  public static final Decision FIRST_IN_TRANSACTION = retry("first statement of a transaction");
  public static final Decision READ = retry("read");
  public static final Decision SESSION_STATEMENT = retry("session statement");
  public static final Decision TRANSACTION_CONTROL = retry("transaction control");
  public static final Decision DECLARED_IDEMPOTENT = retry("declared idempotent");
  public static final Decision WRITE_OUTCOME_UNKNOWN = surface("write outcome unknown");
  /** Its answer belongs to the session that died: a fresh connection would answer otherwise. */
  public static final Decision SESSION_BOUND_READ = surface("belongs to the lost session");
  /** The lost request may have taken a number the app never saw, or one it holds. */
  public static final Decision SEQUENCE_FETCH_OUTCOME_UNKNOWN =
      surface("sequence fetch: outcome unknown");
  public static final Decision REPLAY_TRANSACTION =
      retry("transaction replayed and verified");
  public static final Decision RESOLVE_COMMIT_OUTCOME =
      surface("commit outcome unknown: ask the server");
  public static final Decision UNKNOWN_OPERATION = surface("unknown operation");

  private final boolean retry;
  private final String reason;
  private final Decision category;

  private Decision(boolean retry, String reason, Decision category) {
    this.retry = retry;
    this.reason = reason;
    this.category = category == null ? this : category;
  }

  private static Decision retry(String reason) {
    return new Decision(true, reason, null);
  }

  private static Decision surface(String reason) {
    return new Decision(false, reason, null);
  }

  /**
   * This decision with the statement's own words as its reason ("currval() belongs to the lost
   * session"); this one itself when there are none.
   */
  Decision because(String words) {
    return words == null ? this : new Decision(retry, words, category);
  }

  /** The constant this decision is one of: itself, or the one {@link #because} started from. */
  public Decision category() {
    return category;
  }

  /** Run the call again on a fresh connection (for ROLLBACK: heal, and report success). */
  public boolean isRetry() {
    return retry;
  }

  /** Why, in a few words. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return (retry ? "RETRY: " : "SURFACE: ") + reason;
  }
}
