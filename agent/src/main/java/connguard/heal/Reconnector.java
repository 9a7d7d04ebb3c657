package connguard.heal;

import connguard.config.Durations;
import java.sql.Connection;
import java.sql.SQLException;
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
final class Reconnector {
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
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
    long deadline = System.nanoTime() + retryWindowNanos;
    long backoff = FIRST_BACKOFF_NANOS;
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
        last = e;
      }
      long pause = Math.min(backoff, deadline - System.nanoTime());
      if (pause > 0) {
        sleep(pause);
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
    }
    SQLException exhausted = new SQLException("connguard: no fresh connection to " + factory
        + " within retryWindow=" + Durations.format(retryWindowNanos) + " (" + attempts
        + " attempts)", "08001", last);
    return throwIt(exhausted);
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
            Internal.close(c);
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
      throw new SQLException("connguard: reconnect to " + factory + " did not answer in time", "08001");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("connguard: interrupted while reconnecting to " + factory, "08001", e);
    }
  }

  private static void closeDelivered(Future<Connection> attempt) {
    try {
      Internal.close(attempt.get(1, TimeUnit.SECONDS));
    } catch (Exception ignored) {
      // It failed after all: nothing to close.
    }
  }

  private static Connection throwIt(SQLException e) throws SQLException {
    throw e;
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
