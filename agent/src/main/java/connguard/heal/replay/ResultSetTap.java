package connguard.heal.replay;

import connguard.bridge.Failure;
import connguard.bridge.Guarded;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.heal.Guard;
import connguard.heal.LogicalConnection;
import connguard.heal.States;
import connguard.heal.call.OwnCalls;
import java.sql.ResultSet;

/**
 * Beside a result set returned inside a recorded transaction: every row the app advances over is
 * digested into its log entry, and reaching the end is noted. Scrolling or updating through the
 * result set makes the transaction not replayable. Only with transactionReplay=true.
 *
 * <p>After a replay, the app may read on from this (first-run) result set: each further row is
 * compared with the same row of the replay's result set, kept in its log entry. A difference
 * means the replayed transaction would now act on rows it does not see: the app gets 40001 from
 * next() and the transaction is lost, as for any refused replay.
 */
final class ResultSetTap extends Guard {
  private final Object owner;
  private final LogicalConnection conn;
  private final TransactionLog log;
  private final int generation;
  private final RowDigest digest;
  /** Its rows' entry, whose replay result set it is compared with after a replay; null for keys. */
  private final LoggedStatement entry;
  /** A driver's next() may call an overridden next(): digest the row once. */
  private boolean inNext;

  private ResultSetTap(Object owner, LogicalConnection conn, RowDigest digest, LoggedStatement entry) {
    this.owner = owner;
    this.conn = conn;
    this.log = conn.log;
    this.generation = log.generation();
    this.digest = digest;
    this.entry = entry;
  }

  /**
   * Follows {@code resultSet} into {@code digest}; refuses the transaction if it cannot be followed.
   * @param entry its rows' entry (compared with the replay's result set), or null for generated keys
   */
  static void attach(Object resultSet, LogicalConnection conn, RowDigest digest, LoggedStatement entry) {
    if (resultSet == null) {
      return;
    }
    if (!(resultSet instanceof Guarded)) {
      // Loaded before the agent, or not woven: its next() would go unseen.
      conn.log.refuse("it read a result set of " + resultSet.getClass().getName() + ", which connguard cannot follow");
      return;
    }
    if (States.of(resultSet) == null) {
      States.attach(resultSet, new ResultSetTap(resultSet, conn, digest, entry));
    }
  }

  @Override protected Object enter(int kind) {
    if (inNext || log.generation() != generation || OwnCalls.active()) {
      return null;
    }
    if (MethodKind.operation(kind) == MethodKind.RS_UNFOLLOWED) {
      log.refuse("it scrolled or updated through a result set");
      return null;
    }
    inNext = true;
    return this;
  }

  @Override protected Object afterCall(int kind, String method, Object[] args, Object result, Throwable thrown, boolean forwarded) {
    inNext = false;
    if (thrown != null || log.generation() != generation) {
      return Hooks.UNCHANGED;
    }
    String difference = null;
    OwnCalls.enter();
    try {
      ResultSet replay = entry != null ? entry.replayResultSet : null;
      if (Boolean.TRUE.equals(result)) {
        Object[] row = RowDigest.valuesOf((ResultSet) owner);
        digest.addRow(row);
        if (replay != null) {
          if (!replay.next()) {
            difference = "the app read on past the rows of the replay";
          } else if (RowDigest.hashOf(row) != RowDigest.hashOf(RowDigest.valuesOf(replay))) {
            difference = "a row the app read after the replay has changed since";
          }
        }
      } else if (Boolean.FALSE.equals(result)) {
        digest.end();
        if (replay != null && replay.next()) {
          difference = "the app reached the end of its rows, the replay has more";
        }
      }
    } catch (Throwable t) {
      log.refuse("a row it read could not be digested (" + t + ")");
    } finally {
      OwnCalls.exit();
    }
    if (difference != null) {
      // The replay went through already: the transaction is lost now, and this next() says so.
      conn.replayDiverged(difference);
      return new Failure(conn.replayRefusedError(null));
    }
    return Hooks.UNCHANGED;
  }

  @Override protected Object owner() {
    return owner;
  }

  @Override protected LogicalConnection connection() {
    return conn;
  }

  /** Never called: next() is woven with EXIT_ON_SUCCESS, so even its success comes to afterCall. */
  @Override protected void recordSuccess(int operation, String method, Object[] args, Object arg0, Object result) {
  }

  @Override protected boolean countsDepth(int operation) {
    return false;
  }

  @Override protected boolean isClose(int operation) {
    return false;
  }
}
