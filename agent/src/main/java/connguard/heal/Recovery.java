package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.MethodKind;
import connguard.heal.call.Invoker;
import connguard.heal.replay.CommitOutcome;
import connguard.log.Log;
import connguard.metrics.Events;
import connguard.policy.Attempt;
import connguard.policy.Decision;
import connguard.policy.Operation;
import connguard.policy.SqlFacts;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A guarded call failed: is the connection dead, may the call run again, and if so heal and re-run
 * it, at most maxRetries times. The decisions are the classifier's and the policy's; this class
 * only sequences them, counts once and logs one line.
 */
public final class Recovery {

  private Recovery() {}

  /** Returns the outcome the app sees: a result of a re-execution, or a {@link Failure}. */
  static Object recover(LogicalConnection conn, LogicalStatement statement, int kind, String method,
                        Object[] args, Throwable failure) {
    GuardContext ctx = conn.ctx;
    if (!conn.isHealable() || (statement != null && statement.isClosedByApp())) {
      // close() or abort() by the app (a timer killing a stuck query), or a session that cannot be
      // restored: the driver's outcome stands, and nothing is reconnected behind the app's back.
      return new Failure(failure);
    }
    Object failedOn = statement != null ? statement.boundConnection() : conn.physical;
    boolean closedNow = failedOn != conn.owner || LogicalConnection.isClosedQuietly(failedOn);
    if (!ctx.isDeadConnection(failure, closedNow)) {
      // Alive. On a read-only server the app did not ask for, a refused write follows the
      // failover (StaleEndpoint); anything else but the driver's own failover (below) is not
      // ours: syntax, constraints, timeouts ...
      Object followed = StaleEndpoint.follow(conn, statement, kind, method, args, failure);
      if (followed != OnceMore.NOT_OURS) {
        return followed;
      }
      // Alive on another server: the driver failed over by itself and did not run the call again.
      Object rerun = DriverReconnected.rerun(conn, statement, kind, method, args, failure);
      return rerun != OnceMore.NOT_OURS ? rerun : new Failure(failure);
    }
    long started = System.nanoTime();
    String cause = ctx.classifier.describe(failure);
    // Closed by our own validation before anything was sent, or closed by the server while idle.
    boolean provenUnsent = conn.wasClosedByUs(failedOn) || ctx.classifier.provesNotExecuted(failure);
    conn.counts.deadConnectionsDetected.increment();
    int operation = MethodKind.operation(kind);
    String sql = statement != null ? statement.sqlForDecision(method, args) : null;
    SqlFacts facts = SqlFacts.of(sql, conn.sqlCatalog());    // read once: the same text on every retry
    String died = "connection #" + conn.id + " to " + conn.factory + " died (" + cause + "); ";
    if (ctx.dryRun) {
      // Touch nothing: not the connection, not the transaction state. Only say what we would do.
      Decision would = ctx.policy.decide(attempt(conn, statement, operation, method, args, sql, facts, provenUnsent, 0));
      conn.report(Events.DRY_RUN, "connguard: [dry run] " + died + (would.isRetry() ? "would reconnect and re-execute "
          : "would not re-execute ") + Guard.nameOf(method) + " (" + would.reason() + "); nothing done");
      return new Failure(failure);
    }
    conn.markDead(failedOn);
    if (operation == MethodKind.CONN_ROLLBACK) {
      // The server rolled the transaction back with the connection: rollback() has nothing left to
      // do and needs no server. The next call that needs one heals (retryWindow is not waited here).
      conn.clearTransaction();
      Log.debug("connguard: " + died + "rollback() returns: the server rolled the transaction back already");
      return null;
    }

    for (int retries = 0; ; retries++) {
      Decision decision = ctx.policy.decide(attempt(conn, statement, operation, method, args, sql, facts, provenUnsent, retries));
      if (decision == Decision.RESOLVE_COMMIT_OUTCOME) {
        return CommitOutcome.resolve(conn, failure, died);
      }
      if (!decision.isRetry()) {
        if (retries > 0) {
          conn.counts.retriesExhausted.increment();
        } else {
          conn.counts.retriesRefused.increment();
        }
        boolean rolledBack = conn.transactionRolledBackWith(operation, sql == null ? null : facts);
        conn.afterSurfacedFailure();
        String outcome = retries == 0 ? " not re-executed: " + decision.reason()
            : " re-executed " + retries + (retries == 1 ? " time" : " times") + " and its connection died each time ("
                + decision.reason() + ")";
        if (rolledBack) {
          // Mid-transaction: the server rolled it all back, so nothing of this call or the
          // transaction happened. 40001 keeps a pool from evicting the connection (it heals at its
          // next use) and tells retry frameworks to run the unit of work again.
          conn.reportRefusal("connguard: " + died + Guard.nameOf(method) + outcome
              + "; the server rolled the transaction back: the application gets 40001 and the connection heals at"
              + " its next use after rollback()");
          return new Failure(SurfacedErrors.rolledBack("connguard: the connection died in the middle of a transaction ("
              + cause + "); the server rolled the transaction back; call rollback() and run it again", failure));
        }
        conn.reportRefusal("connguard: " + died + Guard.nameOf(method) + outcome + "; the application gets the error");
        return new Failure(failure);
      }
      try {
        conn.healIfDead(decision != Decision.ALREADY_ROLLED_BACK);
      } catch (SQLException noConnection) {
        failure.addSuppressed(noConnection);
        conn.counts.retriesExhausted.increment();
        conn.afterSurfacedFailure();
        conn.reportRefusal("connguard: " + died + Reconnector.account(noConnection)
            + "; the application gets the original error");
        return new Failure(failure);
      }
      if (decision == Decision.REPLAY_TRANSACTION && conn.transaction.lost) {
        // The replayer logged and counted why; the app learns it from this call.
        return new Failure(conn.replayRefusedError(failure));
      }
      Object target = null;
      try {
        target = statement != null ? statement.physicalForRetry() : conn.physical;
        Object result = Invoker.invoke(target, method, statement != null ? args : conn.argsForPhysical(operation, args));
        if (statement != null) {
          statement.afterSuccess(operation, method, args, result);
        } else {
          conn.afterSuccess(operation, method, args, result);
        }
        conn.counts.statementsRetried.increment();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        conn.report(Events.REEXECUTED, "connguard: " + died + "reconnected and re-executed " + Guard.nameOf(method)
            + " (" + decision.reason() + ") in " + tookMillis + " ms", tookMillis);
        return result;
      } catch (Throwable again) {
        Object failedAgainOn = statement != null ? statement.boundConnection() : target;
        if (!ctx.isDeadConnection(again, true)) {
          again.addSuppressed(failure);
          // The fresh connection is on a read-only server (the endpoint still led to the standby
          // of a switchover): it refused the call unexecuted, so the call follows the failover.
          Object followed = StaleEndpoint.follow(conn, statement, kind, method, args, again);
          if (followed != OnceMore.NOT_OURS) {
            return followed;
          }
          // The fresh connection answered: that answer is the truth, with the original attached.
          conn.reportRefusal("connguard: " + died + "reconnected, but re-executing " + Guard.nameOf(method)
              + " failed: " + briefly(again) + "; the application gets that error");
          return new Failure(again);
        }
        failure.addSuppressed(again);
        conn.markDead(failedAgainOn != null ? failedAgainOn : conn.physical);
        if (timedOutReading(failure) && timedOutReading(again)) {
          // A fresh connection timed out reading the same way: the statement outlives the driver's
          // socket timeout, not its connection. Another copy would only load the server again.
          conn.counts.retriesExhausted.increment();
          conn.afterSurfacedFailure();
          conn.reportRefusal("connguard: " + died + Guard.nameOf(method) + " re-executed once and it timed out"
              + " reading again: the statement is slower than the driver's socket timeout; the application gets the error");
          return new Failure(failure);
        }
        provenUnsent = false;
        sleepMillis(Backoff.RE_EXECUTE.millisAfter(retries + 1));
      }
    }
  }

  static Attempt attempt(LogicalConnection conn, LogicalStatement statement, int operation,
                         String method, Object[] args, String sql, SqlFacts facts, boolean provenUnsent, int retries) {
    GuardContext ctx = conn.ctx;
    return Attempt.builder(operationOf(operation, method, args, conn))
        .sql(facts)
        .autoCommit(conn.isAutoCommitEffective())
        .workInTransaction(conn.transaction.work)
        .provenUnsent(provenUnsent)
        .replayableParameters(statement == null || statement.isReplayable())
        .idempotentSqlMatch(sql != null && ctx.options.idempotentSql().matches(sql))
        .sessionPinned(conn.isSessionPinned() || !conn.session.isRestorable())
        .retriesSoFar(retries)
        .transactionReplay(ctx.options.transactionReplay() && conn.log != null)
        .commitOutcomeResolvable(operation == MethodKind.CONN_COMMIT && conn.log != null
            && conn.log.isTransactionIdNoted())
        .build();
  }

  private static Operation operationOf(int operation, String method, Object[] args, LogicalConnection conn) {
    switch (operation) {
      case MethodKind.STMT_EXECUTE:
      case MethodKind.CONN_SAVEPOINT:
        return Operation.EXECUTE;
      case MethodKind.CONN_COMMIT:
        return Operation.COMMIT;
      case MethodKind.CONN_ROLLBACK:
        return Operation.ROLLBACK;
      case MethodKind.CONN_SETTER:
        return LogicalConnection.enablesAutoCommit(method, args) && !conn.transaction.autoCommit
            ? Operation.ENABLE_AUTOCOMMIT : Operation.SESSION_SETTER;
      default:
        return Operation.PREPARE;    // factories, parameters, settings: no effect on data
    }
  }

  /** A socket read timeout anywhere in the cause chain (bounded), as drivers wrap it. */
  static boolean timedOutReading(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** "42P01 relation ... does not exist": SQLState and the message's first line, for one log line. */
  public static String briefly(Throwable t) {
    String message = String.valueOf(t.getMessage());
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    if (message.length() > 160) {
      message = message.substring(0, 160) + "...";
    }
    String state = t instanceof SQLException ? ((SQLException) t).getSQLState() : t.getClass().getSimpleName();
    return state + " " + message;
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
