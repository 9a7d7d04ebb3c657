package connguard.heal.replay;

import connguard.bridge.Failure;
import connguard.heal.LogicalConnection;
import connguard.heal.Reconnector;
import connguard.heal.Recovery;
import connguard.heal.SurfacedErrors;
import connguard.heal.call.Invoker;
import connguard.heal.call.OwnCalls;
import connguard.log.Log;
import connguard.metrics.Events;
import connguard.policy.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * resolveCommitOutcome: a COMMIT whose reply was lost may or may not have been applied, and
 * sending it again is never safe. Before COMMIT of a transaction that wrote, note what will tell
 * (one extra round trip); when commit() then fails as dead, ask the fresh connection and tell the
 * app the truth: committed, rolled back (replayed and committed again with transactionReplay), or
 * still unknown after retryWindow.
 *
 * <p>PostgreSQL 10+: the transaction id (txid_current_if_assigned), asked with txid_status.
 * MySQL/MariaDB, only with resolveCommitOutcomeTable: a random token written into the user's table
 * under a slot of this connection, inside the transaction; afterwards a locking read of the slot
 * waits for the old transaction to end and finds our token only if it committed.
 */
public final class CommitOutcome {
  private static final long POLL_MILLIS = 50;
  /** This agent's slots in the token table: one row per connection, overwritten by each commit. */
  private static final String SLOT_PREFIX = UUID.randomUUID().toString();

  private CommitOutcome() {}

  /** On the app's own connection, inside its commit() call (depth counted: nested calls are not guarded). */
  public static void beforeCommit(LogicalConnection conn) {
    TransactionLog log = conn.log;
    if (!conn.ctx.options.resolveCommitOutcome() || log.isTransactionIdNoted() || !log.wrote()
        || conn.transaction.work == 0 || conn.isAutoCommitEffective()) {
      return;
    }
    String table = conn.ctx.options.resolveCommitOutcomeTable();
    // Which server, as the rest of the agent tells it (sqlCatalog): the product the server named
    // to SelfTuner on a connection of its own (tuning.Product), once read; the driver's family
    // before that. DatabaseMetaData is not asked here: it would be a call on the app's connection
    // inside its commit(), before the COMMIT is sent, and a round trip with some drivers.
    Dialect server = conn.sqlCatalog().dialect();
    if (server == Dialect.POSTGRESQL) {
      noteTransactionId(conn);
    } else if (table != null && server.isMysqlFamily()) {
      writeToken(conn, table);
    }
  }

  private static void noteTransactionId(LogicalConnection conn) {
    TransactionLog log = conn.log;
    OwnCalls.enter();
    try {
      // A failing statement would abort the app's transaction (PostgreSQL): ask only servers that
      // have the function (10+). pgjdbc knows the version from the handshake, no round trip.
      if (((Connection) conn.physical).getMetaData().getDatabaseMajorVersion() < 10) {
        return;
      }
      Statement s = ((Connection) conn.physical).createStatement();
      try {
        ResultSet rs = s.executeQuery("select txid_current_if_assigned()");
        rs.next();
        long id = rs.getLong(1);
        log.transactionId(rs.wasNull() ? null : id);
      } finally {
        s.close();
      }
    } catch (Throwable t) {
      if (conn.ctx.isDeadConnection(t, conn.physical)) {
        // Dead before COMMIT was sent: proven unsent, so a replay may send it (RetryPolicy rule 4).
        conn.foundDeadBeforeSending();
      }
      // Otherwise the commit runs as without the option.
    } finally {
      OwnCalls.exit();
    }
  }

  private static void writeToken(LogicalConnection conn, String table) {
    long token = ThreadLocalRandom.current().nextLong();
    OwnCalls.enter();
    try {
      // VALUES() is deprecated in MySQL 8.0.20+ but understood by it and by MariaDB alike.
      PreparedStatement ps = ((Connection) conn.physical).prepareStatement("insert into " + table
          + " (slot, token) values (?, ?) on duplicate key update token = values(token)");
      try {
        ps.setString(1, slotOf(conn));
        ps.setLong(2, token);
        ps.executeUpdate();
        conn.log.commitToken(token);
      } finally {
        ps.close();
      }
    } catch (Throwable t) {
      if (conn.ctx.isDeadConnection(t, conn.physical)) {
        conn.foundDeadBeforeSending();
      } else {
        // Most likely the table is missing: a misconfiguration, said once per transaction at debug.
        Log.debug("connguard: could not write the commit token into " + table + ": " + t);
      }
    } finally {
      OwnCalls.exit();
    }
  }

  private static String slotOf(LogicalConnection conn) {
    return SLOT_PREFIX + "-" + conn.id;
  }

  /** commit() failed as dead after its transaction id was noted: the outcome the app sees. */
  public static Object resolve(LogicalConnection conn, Throwable failure, String died) {
    TransactionLog log = conn.log;
    Long id = log.transactionId();
    int work = conn.transaction.work;
    synchronized (conn) {
      conn.transaction.work = 0;      // not "lost" yet: the server is about to say
      try {
        conn.healIfDead(false);
      } catch (SQLException noConnection) {
        conn.transaction.work = work;
        failure.addSuppressed(noConnection);
        conn.afterSurfacedFailure();
        conn.reportRefusal("connguard: " + died + "commit outcome unknown and no fresh connection to ask: "
            + Reconnector.account(noConnection));
        return new Failure(unknown("no fresh connection to ask the server", failure));
      }
      conn.transaction.work = work;
    }
    String status;
    try {
      status = id == null ? "committed" : log.isCommitToken() ? tokenStatus(conn, id) : statusOf(conn, id);
    } catch (Throwable t) {
      conn.afterSurfacedFailure();
      conn.reportRefusal("connguard: " + died + "commit outcome unknown: asking the server failed: "
          + Recovery.briefly(t));
      return new Failure(unknown("asking the server failed (" + Recovery.briefly(t) + ")", failure));
    }
    String which = id == null ? "a transaction that had written nothing"
        : log.isCommitToken() ? "the transaction (token " + Long.toHexString(id) + ")" : "transaction " + id;
    if ("committed".equals(status)) {
      conn.clearTransaction();
      conn.counts.commitOutcomesResolved.increment();
      conn.report(Events.COMMIT_RESOLVED, "connguard: " + died + "the COMMIT reply was lost; the server says " + which
          + " committed, so commit() returns normally");
      return null;
    }
    if ("aborted".equals(status)) {
      conn.counts.commitOutcomesResolved.increment();
      if (TransactionReplayer.restore(conn, (Connection) conn.physical)) {
        try {
          Invoker.invoke(conn.physical, "commit()V", null);
          conn.clearTransaction();
          conn.report(Events.COMMIT_RESOLVED, "connguard: " + died + "the server rolled back " + which
              + " before its COMMIT; replayed and committed it");
          return null;
        } catch (Throwable again) {
          failure.addSuppressed(again);
          conn.afterSurfacedFailure();
          conn.reportRefusal("connguard: " + died + which + " replayed, but its COMMIT failed again: "
              + Recovery.briefly(again));
          return new Failure(unknown("the COMMIT of the replayed transaction failed too", failure));
        }
      }
      String notReplayed = conn.transaction.replayRefusal;      // cleared with the transaction, next line
      conn.clearTransaction();
      conn.reportRefusal("connguard: " + died + "the server rolled back " + which + "; commit() reports it");
      return new Failure(SurfacedErrors.rolledBack("connguard: the transaction was rolled back: its connection died"
          + " before the COMMIT took effect (" + which + " aborted)"
          + (notReplayed != null ? " and it was not replayed: " + notReplayed : "")
          + "; nothing of it was committed, run it again", failure));
    }
    conn.afterSurfacedFailure();
    conn.reportRefusal("connguard: " + died + "commit outcome unknown: " + which + " is " + status);
    return new Failure(unknown(which + " is " + status + " (retryWindow)", failure));
  }

  /** The outcome is unknown: the driver's own error, with the agent's account (see {@link SurfacedErrors}). */
  private static Throwable unknown(String why, Throwable failure) {
    return SurfacedErrors.outcomeUnknown(failure, "connguard: the COMMIT's reply was lost and its outcome is unknown: "
        + why + "; it was not sent again");
  }

  /** committed, aborted, "still in progress" after retryWindow, or "unknown to the server" (too old). */
  private static String statusOf(LogicalConnection conn, long id) throws SQLException {
    long deadline = System.nanoTime() + conn.ctx.options.retryWindowNanos();
    OwnCalls.enter();
    try {
      PreparedStatement ps = ((Connection) conn.physical).prepareStatement("select txid_status(?)");
      try {
        ps.setLong(1, id);
        for (int polls = 0; polls < 100_000; polls++) {
          ResultSet rs = ps.executeQuery();
          String status = rs.next() ? rs.getString(1) : null;
          rs.close();
          if (status == null) {
            return "unknown to the server";
          }
          // The old backend may still be finishing its COMMIT: wait, bounded, for it to settle.
          if (!"in progress".equals(status) || System.nanoTime() > deadline) {
            return "in progress".equals(status) ? "still in progress" : status;
          }
          sleep();
        }
        return "still in progress";
      } finally {
        ps.close();
      }
    } finally {
      OwnCalls.exit();
    }
  }

  /**
   * committed or aborted by our token in the slot; "still in progress" when the locking read
   * waited past retryWindow (the server has not ended the old session yet).
   */
  private static String tokenStatus(LogicalConnection conn, long token) throws SQLException {
    Connection fresh = (Connection) conn.physical;
    String table = conn.ctx.options.resolveCommitOutcomeTable();
    OwnCalls.enter();
    try {
      // A locking read waits for the old transaction's lock on the slot row: the answer is final.
      PreparedStatement ps = fresh.prepareStatement("select token from " + table + " where slot = ? lock in share mode");
      try {
        ps.setQueryTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(conn.ctx.options.retryWindowNanos())));
        ps.setString(1, slotOf(conn));
        ResultSet rs = ps.executeQuery();
        boolean ours = rs.next() && rs.getLong(1) == token;
        rs.close();
        return ours ? "committed" : "aborted";
      } catch (SQLTimeoutException e) {
        return "still in progress";
      } catch (SQLException e) {
        if (e.getErrorCode() == 1205 || e.getErrorCode() == 1969 || e.getErrorCode() == 3024) {
          return "still in progress";       // lock wait timeout, statement time limit
        }
        throw e;
      } finally {
        ps.close();
      }
    } finally {
      try {
        if (!fresh.getAutoCommit()) {
          fresh.rollback();                 // end the read's own transaction: the app's starts clean
        }
      } finally {
        OwnCalls.exit();
      }
    }
  }

  private static void sleep() {
    try {
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
