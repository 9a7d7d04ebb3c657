package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.MethodKind;
import connguard.heal.call.OwnCalls;
import connguard.heal.check.ServerRole;
import connguard.log.Log;
import connguard.metrics.Events;
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
 * <p>Only where nothing else is lost: autocommit, or the first statement of a transaction, and a
 * session a fresh connection can be given. An app that reads from a replica on purpose
 * ({@code setReadOnly(true)}, {@code SET TRANSACTION READ ONLY} or the like in its session,
 * a URL that targets replicas) and writes by mistake gets the server's error, as without the agent.
 */
final class StaleEndpoint {
  private static final int PROBE_TIMEOUT_SECONDS = 5;

  private StaleEndpoint() {}

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

  /**
   * A refused first write of a transaction: PostgreSQL aborted the transaction it opened and
   * answers anything but a rollback with 25P02, the agent's question about the server too. The
   * transaction holds no work ({@link LogicalConnection#canMoveWithoutLoss}), so rolling it back
   * loses nothing; the session, autocommit off included, is restored on the fresh connection.
   */
  private static void endEmptyTransaction(LogicalConnection conn) {
    if (conn.isAutoCommitEffective()) {
      return;
    }
    OwnCalls.enter();
    try {
      ((Connection) conn.physical).rollback();
    } catch (Throwable cannot) {
      Log.debug("connguard: connection #" + conn.id + " could not roll back the refused write's transaction: " + cannot);
    } finally {
      OwnCalls.exit();
    }
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
        || !ctx.classifier.refusedAsReadOnly(failure) || !conn.canMoveWithoutLoss()
        || appAskedForReadOnly(conn)) {
      return OnceMore.NOT_OURS;
    }
    long started = System.nanoTime();
    if (!ctx.dryRun) {
      endEmptyTransaction(conn);
    }
    ServerRole was;
    try {
      was = conn.askServerRole(PROBE_TIMEOUT_SECONDS);
    } catch (SQLException | RuntimeException cannotTell) {
      Log.debug("connguard: connection #" + conn.id + " could not ask whether its server is read-only: " + cannotTell);
      return OnceMore.NOT_OURS;
    }
    if (was == null || !was.readOnly) {
      return OnceMore.NOT_OURS;          // a writable server said read-only: the app's own READ ONLY transaction
    }
    String refused = "connection #" + conn.id + " to " + conn.factory + " is on a read-only server"
        + (was.where == null ? "" : " (" + was.where + ")") + ", which refused " + Guard.nameOf(method)
        + " unexecuted (" + Recovery.briefly(failure) + ")";
    if (ctx.dryRun) {
      conn.report(Events.DRY_RUN, "connguard: [dry run] " + refused + "; would reconnect to a writable server and re-execute it; nothing done");
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
          + noWritableServer.getMessage() + "); the application gets the server's error");
      return new Failure(failure);
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    ctx.stats.recordFailover(conn.counts, tookMillis);
    String followed = "connguard: " + refused + "; followed the failover to "
        + (now.where == null ? "a writable server" : now.where) + " in " + tookMillis + " ms";
    try {
      Object result = OnceMore.run(statement, method, args, failure);
      conn.report(Events.FAILOVER, followed + " and re-executed it", tookMillis);
      return result;
    } catch (Throwable again) {
      conn.reportRefusal(followed + ", but re-executing " + Guard.nameOf(method) + " there failed: "
          + Recovery.briefly(again) + "; the application gets that error");
      return new Failure(again);
    }
  }
}
