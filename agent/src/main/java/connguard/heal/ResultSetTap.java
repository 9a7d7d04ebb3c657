package connguard.heal;

import connguard.bridge.Guarded;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import java.sql.ResultSet;

/**
 * Beside a result set returned inside a recorded transaction: every row the app advances over is
 * digested into its log entry, and reaching the end is noted. Scrolling or updating through the
 * result set makes the transaction not replayable. Only with transactionReplay=true.
 */
final class ResultSetTap extends Guard {
  private final Object owner;
  private final TransactionLog log;
  private final int generation;
  private final RowDigest digest;
  /** A driver's next() may call an overridden next(): digest the row once. */
  private boolean inNext;

  private ResultSetTap(Object owner, TransactionLog log, RowDigest digest) {
    this.owner = owner;
    this.log = log;
    this.generation = log.generation();
    this.digest = digest;
  }

  /** Follows {@code resultSet} into {@code digest}; refuses the transaction if it cannot be followed. */
  static void attach(Object resultSet, TransactionLog log, RowDigest digest) {
    if (resultSet == null) {
      return;
    }
    if (!(resultSet instanceof Guarded)) {
      // Loaded before the agent, or not woven: its next() would go unseen.
      log.refuse("it read a result set of " + resultSet.getClass().getName() + ", which connguard cannot follow");
      return;
    }
    if (States.of(resultSet) == null) {
      States.attach(resultSet, new ResultSetTap(resultSet, log, digest));
    }
  }

  @Override Object enter(int kind) {
    if (inNext || log.generation() != generation || Internal.active()) {
      return null;
    }
    if (MethodKind.operation(kind) == MethodKind.RS_UNFOLLOWED) {
      log.refuse("it scrolled or updated through a result set");
      return null;
    }
    inNext = true;
    return this;
  }

  @Override Object afterCall(int kind, String method, Object[] args, Object result, Throwable thrown, boolean forwarded) {
    inNext = false;
    if (thrown != null || log.generation() != generation) {
      return Hooks.UNCHANGED;
    }
    if (Boolean.TRUE.equals(result)) {
      Internal.enter();
      try {
        digest.addRow((ResultSet) owner);
      } catch (Throwable t) {
        log.refuse("a row it read could not be digested (" + t + ")");
      } finally {
        Internal.exit();
      }
    } else if (Boolean.FALSE.equals(result)) {
      digest.end();
    }
    return Hooks.UNCHANGED;
  }

  @Override Object owner() {
    return owner;
  }

  @Override boolean countsDepth(int operation) {
    return false;
  }

  @Override boolean isClose(int operation) {
    return false;
  }
}
