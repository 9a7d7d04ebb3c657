package connguard.heal.check;

import connguard.bridge.MethodKind;

/**
 * Before a round trip: what a connection's idle time and age call for, and which calls a lost
 * transaction refuses. Pure: numbers and flags in, a yes or no out; the state and the acting
 * stay in {@link connguard.heal.LogicalConnection}.
 *
 * <p>Times are differences of two {@code System.nanoTime()} readings ({@code now - lastUsed},
 * {@code now - born}): only a difference means anything (the origin is arbitrary and may sit near
 * the wrap), and a difference of up to 292 years compares right. {@code off} is
 * {@code Long.MAX_VALUE}, which no difference exceeds.
 */
public final class UseCheck {
  private UseCheck() {}

  /**
   * The hot path's one question, asked on every outermost round trip: is anything due? Two
   * compares; the flags the caller adds (known dead, transaction lost, unusable) are its own.
   */
  public static boolean isDue(long idleNanos, long ageNanos, long validateIdleAfterNanos, long maxAgeNanos) {
    return idleNanos > validateIdleAfterNanos || ageNanos > maxAgeNanos;
  }

  /** Idle longer than validateIdleAfter: probe it first, unless the driver fails over by itself. */
  public static boolean validates(long idleNanos, long validateIdleAfterNanos, boolean driverFailsOver) {
    return idleNanos > validateIdleAfterNanos && !driverFailsOver;
  }

  /**
   * Older than maxAge: replace it, unless the driver fails over by itself. The caller adds its
   * own condition: only at a safe point (no transaction, no open statement).
   */
  public static boolean recycles(long ageNanos, long maxAgeNanos, boolean driverFailsOver) {
    return ageNanos > maxAgeNanos && !driverFailsOver;
  }

  /**
   * After the server dropped a transaction with work in it, which calls are refused: those that
   * would carry on as if it were there (a statement, COMMIT, a savepoint) and so start a new
   * transaction on the fresh connection. Rollback and setters are not: they end or leave it.
   */
  public static boolean refusedInLostTransaction(int operation) {
    return operation == MethodKind.STMT_EXECUTE || operation == MethodKind.CONN_COMMIT
        || operation == MethodKind.CONN_SAVEPOINT;
  }
}
