package connguard.heal.replay;

import connguard.heal.Guard;
import connguard.heal.LogicalConnection;
import connguard.heal.Recovery;
import connguard.heal.call.Invoker;
import connguard.heal.call.OwnCalls;
import connguard.metrics.Events;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a lost transaction again on a fresh connection (session already restored) from its
 * {@link TransactionLog}, and compares every result with the first run: update counts, generated
 * keys, and the rows the app read. Only if all are identical is the transaction back; otherwise
 * the fresh transaction is rolled back and the app is told why. One log line either way.
 */
public final class TransactionReplayer {
  private TransactionReplayer() {}

  /**
   * Called by {@link LogicalConnection#heal} for a transaction with work in it. True: replayed and
   * verified, the transaction is open on {@code fresh}. False: not replayed (the reason is on the
   * connection, counted and logged); nothing of it is left on {@code fresh}.
   */
  public static boolean restore(LogicalConnection conn, Connection fresh) {
    TransactionLog log = conn.log;
    if (log == null || !conn.ctx.options.transactionReplay()) {
      return false;                 // transactionReplay=false: lost, as before
    }
    long started = System.nanoTime();
    int statements = log.entries().size();
    String refused = log.isReplayable() ? replay(log, fresh) : log.notReplayableReason();
    if (refused == null) {
      conn.counts.transactionsReplayed.increment();
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      conn.report(Events.REPLAYED, "connguard: connection #" + conn.id + " to " + conn.factory + ": transaction of "
          + statements + " statements replayed on a fresh connection, every result identical, in " + tookMillis + " ms",
          tookMillis);
      return true;
    }
    log.closeReplayResultSets();
    rollbackQuietly(fresh);
    conn.counts.replaysRefused.increment();
    conn.transaction.replayRefusal = refused;
    conn.reportRefusal("connguard: connection #" + conn.id + " to " + conn.factory
        + ": transaction lost and not replayed: " + refused);
    return false;
  }

  /** Null when every statement ran again with the same result; else why not. */
  static String replay(TransactionLog log, Connection fresh) {
    log.closeReplayResultSets();   // of an earlier replay, on a connection now dead
    log.forgetSavepoints();
    OwnCalls.enter();
    try {
      if (log.beginSql() != null) {
        Statement begin = fresh.createStatement();
        try {
          begin.execute(log.beginSql());
        } finally {
          begin.close();
        }
      }
      List<LoggedStatement> entries = log.entries();
      for (int i = 0; i < entries.size(); i++) {
        LoggedStatement entry = entries.get(i);
        String difference = entry.recipe == null ? replaySavepoint(entry, log, fresh) : replayOne(entry, fresh);
        if (difference != null) {
          return "statement " + (i + 1) + " of " + entries.size() + " (" + Guard.nameOf(entries.get(i).method)
              + "): " + difference;
        }
      }
      return null;
    } catch (Throwable t) {
      return "replay failed: " + Recovery.briefly(t);
    } finally {
      OwnCalls.exit();
    }
  }

  /** setSavepoint, rollback(Savepoint) or releaseSavepoint again, on the replay's savepoints. */
  private static String replaySavepoint(LoggedStatement entry, TransactionLog log, Connection fresh) throws Throwable {
    Object made;
    try {
      made = Invoker.invoke(fresh, entry.method, log.savepointArgs(entry.args));
    } catch (SQLException e) {
      return "it failed on replay: " + Recovery.briefly(e);
    }
    if (entry.appStatementOrSavepoint != null) {
      log.mapSavepoint(entry.appStatementOrSavepoint, made);
    }
    return null;
  }

  private static String replayOne(LoggedStatement entry, Connection fresh) throws Throwable {
    Object statement = entry.recipe.recreateOn(fresh);
    boolean keepOpen = false;
    try {
      Object result;
      try {
        result = Invoker.invoke(statement, entry.method, entry.args);
      } catch (SQLException e) {
        return "it failed on replay: " + Recovery.briefly(e);
      }
      String outcome = LoggedStatement.outcomeOf(result, statement);
      if (!outcome.equals(entry.outcome)) {
        return "it returned " + outcome + ", the first time " + entry.outcome;
      }
      if (entry.rows != null) {
        ResultSet rs = result instanceof ResultSet ? (ResultSet) result : ((Statement) statement).getResultSet();
        String difference = entry.rows.verify(rs);
        if (difference != null) {
          return difference;
        }
        if (!entry.rows.sawEnd()) {
          // The app may read on from its own result set: those rows are compared as it reads them.
          entry.replayResultSet = rs;
          entry.replayStatement = (Statement) statement;
          keepOpen = true;
        }
      }
      if (entry.keys != null) {
        String difference = entry.keys.verify(((Statement) statement).getGeneratedKeys());
        if (difference != null) {
          return "generated keys: " + difference;
        }
      }
      return null;
    } finally {
      if (!keepOpen) {
        OwnCalls.close(statement);
      }
    }
  }

  static void rollbackQuietly(Connection fresh) {
    OwnCalls.enter();
    try {
      fresh.rollback();
    } catch (Throwable ignored) {
      // Closing it would roll back too; the caller keeps using it with autocommit as restored.
    } finally {
      OwnCalls.exit();
    }
  }
}
