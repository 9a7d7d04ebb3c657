package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.MethodKind;
import connguard.heal.call.OwnCalls;
import connguard.heal.check.ServerRole;
import connguard.log.Log;
import connguard.metrics.Events;
import connguard.policy.Attempt;
import connguard.policy.Decision;
import connguard.policy.RetryPolicy;
import connguard.policy.SqlFacts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A write the server refused because it is read-only, on a connection the app did not make
 * read-only: the connection is on a standby (the endpoint or DNS still led there when it
 * connected) or on a primary demoted since. The server refused the statement before running it,
 * so it provably did nothing: replace the connection through the app's own URL, waiting within
 * retryWindow while that still leads to a read-only server, restore the session, and run the
 * statement once on the writable server.
 *
 * <p>When nothing else is lost ({@link Plan#MOVE}): autocommit, or the first statement of a
 * transaction, and a session a fresh connection can be given. An app that reads from a replica on
 * purpose ({@code setReadOnly(true)}, {@code SET TRANSACTION READ ONLY} or the like in its
 * session, a URL that targets replicas) and writes by mistake gets the server's error, as without
 * the agent.
 *
 * <p>Inside a transaction that already did work ({@link Plan#MOVE_AND_REPLAY}), only with
 * transactionReplay and where a dead connection's transaction would be replayed too (the one
 * rule, {@link RetryPolicy}'s REPLAY_TRANSACTION for the refused statement, proven unsent): not
 * for DDL or CALL, a consumed stream, a pinned session. The rule:
 * <ul>
 *   <li>The refusal ends the transaction's life on that server: PostgreSQL aborted it (25P02 for
 *       anything but a rollback), so the agent rolls it back on the server to ask whether the
 *       server is read-only, and keeps its record of it; MariaDB's stays open, and goes with the
 *       old connection once the agent leaves it.</li>
 *   <li>The transaction is replayed (every result verified, as after a dead connection) onto the
 *       one fresh connection found writable, never onto the read-only ones on the way, where a
 *       replayed write would fail. Replayed: the refused statement runs once after it, and the
 *       app's commit() commits it all on the new primary.</li>
 *   <li>The replay refused (rows differ, too big, ...): 40001 "transaction lost and not replayed"
 *       for this statement and the next ones until rollback(); nothing of it ran, the connection is
 *       on the writable server.</li>
 *   <li>No writable server within retryWindow, or, once the agent rolled the transaction back,
 *       a server that turns out writable after all or will not say: the server's error for this
 *       statement, and the transaction is lost: 40001 until rollback(), never carried on as if
 *       intact in a new transaction. Where nothing was rolled back (MariaDB answering writable),
 *       the server's error stands and the transaction with it.</li>
 * </ul>
 * Without transactionReplay, or for a statement the policy would not replay, nothing is touched:
 * the server's error stands, the transaction as the server left it.
 */
final class StaleEndpoint {
  private static final int PROBE_TIMEOUT_SECONDS = 5;

  /** What a read-only refusal on a connection the app did not make read-only leads to. */
  enum Plan {
    /** The server's error stands; nothing is touched. */
    STAY,
    /** Nothing to lose: move to a writable server and run the statement there. */
    MOVE,
    /** Work in the transaction: move, replay it on the writable server, then run the statement. */
    MOVE_AND_REPLAY
  }

  private StaleEndpoint() {}

  /**
   * Pure. {@code movesWithoutLoss}: autocommit, or a transaction with no work yet, and a session a
   * fresh connection can be given ({@link LogicalConnection#canMoveWithoutLoss}). Otherwise the
   * refused statement, as an attempt proven unsent, follows only where the policy would replay its
   * transaction after a dead connection.
   */
  static Plan plan(boolean movesWithoutLoss, RetryPolicy policy, Attempt refused) {
    if (movesWithoutLoss) {
      return Plan.MOVE;
    }
    return refused.workInTransaction() > 0 && policy.decide(refused) == Decision.REPLAY_TRANSACTION
        ? Plan.MOVE_AND_REPLAY : Plan.STAY;
  }

  /** Did the app ask for a read-only connection or transaction, as far as the agent can tell? */
  static boolean appAskedForReadOnly(LogicalConnection conn) {
    if (conn.session.mentionsReadOnly() || conn.factory.targetsReadOnlyServers()) {
      return true;
    }
    OwnCalls.enter();
    try {
      return ((Connection) conn.physical).isReadOnly();
    } catch (Throwable cannotTell) {
      return true;        // not knowing is a reason to leave it alone
    } finally {
      OwnCalls.exit();
    }
  }

  private static Plan planFor(LogicalConnection conn, LogicalStatement statement, String method, Object[] args) {
    if (conn.canMoveWithoutLoss()) {
      return Plan.MOVE;
    }
    String sql = statement.sqlForDecision(method, args);
    Attempt refused = Recovery.attempt(conn, statement, MethodKind.STMT_EXECUTE, method, args, sql,
        SqlFacts.of(sql, conn.sqlCatalog()), true, 0);
    return plan(false, conn.ctx.policy, refused);
  }

  /**
   * {@link OnceMore#NOT_OURS}: not a stale endpoint, the driver's error stands. Otherwise what the app
   * gets: the statement's result on the writable server, or a {@link Failure}.
   */
  static Object follow(LogicalConnection conn, LogicalStatement statement, int kind, String method,
                       Object[] args, Throwable failure) {
    GuardContext ctx = conn.ctx;
    // Also where the driver fails over by itself (a sequential: URL): it moves to the next host
    // when one is down, but not off a host that answers read-only (a replica not promoted yet).
    if (statement == null || MethodKind.operation(kind) != MethodKind.STMT_EXECUTE
        || !ctx.classifier.refusedAsReadOnly(failure)) {
      return OnceMore.NOT_OURS;
    }
    Plan plan = planFor(conn, statement, method, args);
    if (plan == Plan.STAY || appAskedForReadOnly(conn)) {
      return OnceMore.NOT_OURS;
    }
    long started = System.nanoTime();
    String refused = "connection #" + conn.id + " to " + conn.factory + " is on a read-only server";
    String what = Guard.nameOf(method) + " unexecuted (" + Recovery.briefly(failure) + ")";
    ServerRole was;
    boolean rolledBack = false;
    try {
      was = conn.askServerRole(PROBE_TIMEOUT_SECONDS);
    } catch (SQLException | RuntimeException first) {
      // PostgreSQL aborted the transaction the refused write was in, and answers the question too
      // with 25P02. Its work is gone on the server already: roll it back there, and ask again.
      if (ctx.dryRun || !ctx.classifier.inAbortedTransaction(first) || !conn.rollBackOnServer()) {
        Log.debug("connguard: connection #" + conn.id + " could not ask whether its server is read-only: " + first);
        return OnceMore.NOT_OURS;
      }
      rolledBack = true;
      try {
        was = conn.askServerRole(PROBE_TIMEOUT_SECONDS);
      } catch (SQLException | RuntimeException cannotTell) {
        Log.debug("connguard: connection #" + conn.id + " could not ask whether its server is read-only: " + cannotTell);
        return stayAfterRollback(conn, plan, what, "it could not tell whether its server is read-only", failure);
      }
    }
    if (was == null || !was.readOnly) {
      // A writable server said read-only: the app's own READ ONLY transaction.
      return rolledBack ? stayAfterRollback(conn, plan, what, "its server is writable", failure) : OnceMore.NOT_OURS;
    }
    refused += (was.where == null ? "" : " (" + was.where + ")") + ", which refused " + what;
    if (ctx.dryRun) {
      conn.report(Events.DRY_RUN, "connguard: [dry run] " + refused + "; would reconnect to a writable server"
          + (plan == Plan.MOVE_AND_REPLAY ? ", replay the transaction there" : "") + " and re-execute it; nothing done");
      return OnceMore.NOT_OURS;
    }
    ServerRole now;
    try {
      now = conn.moveOffReadOnlyServer(System.nanoTime() + ctx.options.retryWindowNanos(),
          Backoff.WRITABLE_SERVER, PROBE_TIMEOUT_SECONDS);
    } catch (SQLException noWritableServer) {
      failure.addSuppressed(noWritableServer);
      conn.counts.retriesExhausted.increment();
      conn.reportRefusal("connguard: " + refused + "; no writable server within retryWindow ("
          + noWritableServer.getMessage() + "); the application gets the server's error"
          + (plan == Plan.MOVE_AND_REPLAY ? ", and 40001 until rollback(): its transaction is lost" : ""));
      return new Failure(failure);
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String followed = "; followed the failover to " + (now.where == null ? "a writable server" : now.where)
        + " in " + tookMillis + " ms";
    ctx.stats.recordFailover(conn.counts, tookMillis);
    if (plan == Plan.MOVE_AND_REPLAY && conn.transaction.lost) {
      // The replayer logged and counted why; the refused statement must not run without it.
      conn.reportRefusal("connguard: " + refused + followed + ", where its transaction was not replayed: the"
          + " application gets 40001 and " + Guard.nameOf(method) + " is not re-executed");
      return new Failure(conn.replayRefusedError(failure));
    }
    try {
      Object result = OnceMore.run(statement, method, args, failure);
      conn.report(Events.FAILOVER, "connguard: " + refused + followed
          + (plan == Plan.MOVE_AND_REPLAY ? ", replayed its transaction there" : "") + " and re-executed it", tookMillis);
      return result;
    } catch (Throwable again) {
      conn.reportRefusal("connguard: " + refused + followed + ", but re-executing " + Guard.nameOf(method)
          + " there failed: " + Recovery.briefly(again) + "; the application gets that error");
      return new Failure(again);
    }
  }

  /**
   * The agent rolled the aborted transaction back on the server to ask, and stays: the server's
   * error for this statement; a transaction with work is lost from now on (40001 until rollback()).
   */
  private static Object stayAfterRollback(LogicalConnection conn, Plan plan, String what, String because,
                                          Throwable failure) {
    if (plan == Plan.MOVE_AND_REPLAY) {
      conn.loseTransaction("the server refused a write as read-only and aborted the transaction, and " + because);
      conn.reportRefusal("connguard: connection #" + conn.id + " to " + conn.factory + ": the server refused " + what
          + " and aborted the transaction; rolled back, " + because + ": the application gets the server's error,"
          + " and 40001 until rollback()");
    }
    return OnceMore.NOT_OURS;
  }
}
