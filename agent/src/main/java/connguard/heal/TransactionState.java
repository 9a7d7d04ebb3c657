package connguard.heal;

/**
 * Where a connection's transaction stands, as the agent tracks it from the calls that succeed:
 * what a heal must know (is there work a fresh connection would not have?) and what the app's
 * next call may do (a lost transaction refuses statements until rollback()). Plain fields: a JDBC
 * connection is used by one thread at a time, and {@link LogicalConnection}'s heals, which read
 * them from another, are synchronized.
 */
public final class TransactionState {
  /** The connection's autocommit, as the app last set it (or the driver's default). */
  boolean autoCommit;
  /** BEGIN / START TRANSACTION sent as SQL: a transaction even in autocommit. */
  boolean openedBySql;
  /** Successful calls since the transaction began. */
  public int work;
  /** The server dropped a transaction with work in it: statements are refused until rollback(). */
  boolean lost;
  /** Why the lost transaction was not replayed (transactionReplay=true), for the app's errors. */
  public String replayRefusal;

  /** Autocommit in effect: no transaction open by setAutoCommit(false) or by SQL. */
  public boolean isAutoCommitEffective() {
    return autoCommit && !openedBySql;
  }

  /** After a successful statement: one more unit of work, if a transaction is open. */
  void countStatement() {
    if (!autoCommit || openedBySql) {
      work++;
    }
  }

  /** Work in it and not lost yet: what dies with the connection unless it is replayed. */
  boolean hasWorkToLose() {
    return work > 0 && !lost;
  }

  /** Committed, rolled back, or given up: a clean slate (the log is the caller's). */
  void clear() {
    work = 0;
    lost = false;
    openedBySql = false;
    replayRefusal = null;
  }
}
