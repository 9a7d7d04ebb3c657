package connguard.heal;

import connguard.config.Durations;
import connguard.heal.call.OwnCalls;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens a fresh physical connection within a time budget (retryWindow), retrying with backoff so a
 * restart or failover of a few hundred ms is ridden through. Each attempt runs on a helper thread
 * so that a connect that hangs (a blackholed network) still returns to the app in bounded time.
 */
public final class Reconnector {
  private static final int MAX_ATTEMPTS = 1000;

  private final long retryWindowNanos;
  private final ExecutorService connectors = Executors.newCachedThreadPool(new ThreadFactory() {
    @Override public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "connguard-reconnect");
      t.setDaemon(true);
      return t;
    }
  });

  Reconnector(long retryWindowNanos) {
    this.retryWindowNanos = retryWindowNanos;
  }

  Connection connect(ConnectionFactory factory) throws SQLException {
    return connect(factory, retryWindowNanos);
  }

  /**
   * Connects within {@code budgetNanos} (at most retryWindow: an app's {@code isValid(t)} asks for
   * less). When no attempt succeeds, throws the driver's own last error, so the app and its pool
   * see the exception type and SQLState they would see without the agent; the agent's account of
   * the attempts rides along as a suppressed exception. Only when no attempt even answered (every
   * one timed out) is the exception the agent's: an {@link SQLTransientConnectionException}, 08001.
   */
  Connection connect(ConnectionFactory factory, long budgetNanos) throws SQLException {
    long budget = Math.min(budgetNanos, retryWindowNanos);
    long deadline = System.nanoTime() + budget;
    SQLException last = null;
    int attempts = 0;
    while (attempts < MAX_ATTEMPTS) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      attempts++;
      try {
        return connectWithin(factory, remaining);
      } catch (SQLException e) {
        if (!(e instanceof AttemptTimedOut) || last == null) {
          last = e;
        }
      }
      long pause = Math.min(Backoff.RECONNECT.nanosAfter(attempts), deadline - System.nanoTime());
      if (pause > 0) {
        sleep(pause);
      }
    }
    SQLException account = new SQLTransientConnectionException(noFreshConnection(factory, budget, attempts), "08001");
    if (last == null || last instanceof AttemptTimedOut) {
      if (last != null) {
        account.initCause(last);
      }
      throw account;
    }
    last.addSuppressed(account);
    throw last;
  }

  /**
   * What a failed heal says in a log line: the agent's account (no fresh connection within the
   * budget) and the driver's last error, or the heal's own reason (session not restorable).
   */
  public static String account(SQLException noConnection) {
    String own = String.valueOf(noConnection.getMessage());
    if (own.startsWith("connguard:")) {
      return own.substring("connguard: ".length());
    }
    for (Throwable s : noConnection.getSuppressed()) {
      String m = String.valueOf(s.getMessage());
      if (m.startsWith("connguard: ")) {
        return m.substring("connguard: ".length()) + " (last: " + Recovery.briefly(noConnection) + ")";
      }
    }
    return Recovery.briefly(noConnection);
  }

  /** The log's words for an exhausted budget; the driver's error says the rest. */
  static String noFreshConnection(ConnectionFactory factory, long budgetNanos, int attempts) {
    return "connguard: no fresh connection to " + factory + " within " + Durations.format(budgetNanos)
        + " (retryWindow; " + attempts + " attempts)";
  }

  /** One attempt, no retries: for the agent's own short look at a server ({@link SelfTuner}). */
  Connection connectOnce(ConnectionFactory factory, long timeoutNanos) throws SQLException {
    return connectWithin(factory, timeoutNanos);
  }

  private Connection connectWithin(final ConnectionFactory factory, long remainingNanos) throws SQLException {
    // Whoever comes second closes the connection: the attempt finishing after the app stopped
    // waiting, or the app giving up after the attempt finished. No backend is left behind.
    final AtomicBoolean abandoned = new AtomicBoolean();
    final AtomicBoolean delivered = new AtomicBoolean();
    Future<Connection> attempt = connectors.submit(new Callable<Connection>() {
      @Override public Connection call() throws Exception {
        Connection c = factory.connect();
        synchronized (abandoned) {
          if (abandoned.get()) {
            OwnCalls.close(c);
            return null;
          }
          delivered.set(true);
        }
        return c;
      }
    });
    try {
      return attempt.get(remainingNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException) {
        throw (SQLException) cause;
      }
      throw new SQLException("connguard: reconnect to " + factory + " failed: " + cause, "08001", cause);
    } catch (TimeoutException e) {
      synchronized (abandoned) {
        abandoned.set(true);
        if (delivered.get()) {
          closeDelivered(attempt);   // finished in the instant between the timeout and now
        }
      }
      attempt.cancel(true);
      throw new AttemptTimedOut("connguard: reconnect to " + factory + " did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("connguard: interrupted while reconnecting to " + factory, "08001", e);
    }
  }

  private static void closeDelivered(Future<Connection> attempt) {
    try {
      OwnCalls.close(attempt.get(1, TimeUnit.SECONDS));
    } catch (Exception ignored) {
      // It failed after all: nothing to close.
    }
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One attempt that did not answer within the time left: the agent's own, never surfaced when a driver error exists. */
  static final class AttemptTimedOut extends SQLTransientConnectionException {
    private static final long serialVersionUID = 1L;

    AttemptTimedOut(String message) {
      super(message, "08001");
    }
  }
}
