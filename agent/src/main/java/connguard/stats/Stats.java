package connguard.stats;

import connguard.log.Log;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/** What the agent did since start. Incremented only off the hot path (failures, heals, new connections). */
public final class Stats implements StatsMBean {
  public static final String OBJECT_NAME = "connguard:type=Stats";

  /** A connection failure classified as "the connection is gone" (validation or a failed call). */
  public final LongAdder deadConnectionsDetected = new LongAdder();
  /** Fresh physical connections opened to replace dead ones. */
  public final LongAdder reconnects = new LongAdder();
  /** Calls re-executed on a fresh connection that then succeeded. */
  public final LongAdder statementsRetried = new LongAdder();
  /** Recoveries given up because maxRetries or retryWindow ran out. */
  public final LongAdder retriesExhausted = new LongAdder();
  /** Idle connections found dead by validation before use. */
  public final LongAdder validationsFailed = new LongAdder();
  /** Dead-connection failures surfaced because re-execution was not safe. */
  public final LongAdder retriesRefused = new LongAdder();
  /** Transactions whose work was lost with their connection (the app got an error). */
  public final LongAdder transactionsLost = new LongAdder();
  /** Connections replaced quietly because they reached maxAge. */
  public final LongAdder connectionsRecycled = new LongAdder();
  /** Transactions lost with their connection, replayed on a fresh one with every result verified. */
  public final LongAdder transactionsReplayed = new LongAdder();
  /** Lost transactions not replayed: not replayable (bounds, savepoints ...) or a result differed. */
  public final LongAdder replaysRefused = new LongAdder();
  /** COMMITs whose reply was lost and whose outcome the agent established from the server. */
  public final LongAdder commitOutcomesResolved = new LongAdder();
  /** Connections moved off a read-only server onto a writable one (a failover followed). */
  public final LongAdder failoversFollowed = new LongAdder();
  /** Physical connections the agent has guarded since start. */
  public final LongAdder connectionsGuarded = new LongAdder();

  /** Guarded connections not closed by the app yet (a gauge). */
  public final LongAdder openConnections = new LongAdder();
  private volatile long lastRecoveryEpochMillis;
  private volatile long lastFailoverMillis;
  private volatile String lastRecovery = "";

  private volatile boolean registered;
  private volatile boolean mbeanUp;
  /** Computed when JMX asks, never on the hot path; set by the runtime that knows the connections. */
  private volatile LongSupplier oldestIdleMillis = new LongSupplier() {
    @Override public long getAsLong() {
      return 0;
    }
  };

  public void oldestIdleMillis(LongSupplier gauge) {
    oldestIdleMillis = gauge;
  }

  /** Remembers the last recovery or refusal for the MBean; the same line the log shows. */
  public void recordRecovery(String line) {
    lastRecovery = line;
    lastRecoveryEpochMillis = System.currentTimeMillis();
  }

  /** A failover followed, and how long it took. */
  public void recordFailover(long millis) {
    failoversFollowed.increment();
    lastFailoverMillis = millis;
  }

  /** One line for the periodic summary (statsInterval). */
  public String summary() {
    return "connguard: stats: open=" + openConnections.sum() + " guarded=" + connectionsGuarded.sum()
        + " dead=" + deadConnectionsDetected.sum() + " validationsFailed=" + validationsFailed.sum()
        + " reconnects=" + reconnects.sum() + " retried=" + statementsRetried.sum()
        + " refused=" + retriesRefused.sum() + " exhausted=" + retriesExhausted.sum()
        + " transactionsLost=" + transactionsLost.sum() + " recycled=" + connectionsRecycled.sum()
        + " replayed=" + transactionsReplayed.sum() + " replaysRefused=" + replaysRefused.sum()
        + " commitOutcomesResolved=" + commitOutcomesResolved.sum() + " failoversFollowed=" + failoversFollowed.sum();
  }

  /**
   * Whether an MBean server runs already (the app's, a framework's, -Dcom.sun.management.jmxremote's),
   * found without starting one: the platform server, too, is made through MBeanServerFactory.
   */
  public static boolean isJmxRunning() {
    try {
      return !MBeanServerFactory.findMBeanServer(null).isEmpty();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Registers the MBean once; JMX start-up costs 100 ms or more, so this waits for the first
   * connection. Whether it is registered.
   */
  public boolean register() {
    if (registered) {
      return mbeanUp;
    }
    synchronized (this) {
      if (registered) {
        return mbeanUp;
      }
      registered = true;
      try {
        ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
        mbeanUp = true;
      } catch (Exception | LinkageError e) {
        // Another agent copy (attach twice) or no JMX: counters still work, only the view is missing.
        Log.warn("connguard: JMX MBean " + OBJECT_NAME + " not registered: " + e);
      }
      return mbeanUp;
    }
  }

  @Override public long getDeadConnectionsDetected() { return deadConnectionsDetected.sum(); }
  @Override public long getReconnects() { return reconnects.sum(); }
  @Override public long getStatementsRetried() { return statementsRetried.sum(); }
  @Override public long getRetriesExhausted() { return retriesExhausted.sum(); }
  @Override public long getValidationsFailed() { return validationsFailed.sum(); }
  @Override public long getRetriesRefused() { return retriesRefused.sum(); }
  @Override public long getTransactionsLost() { return transactionsLost.sum(); }
  @Override public long getConnectionsRecycled() { return connectionsRecycled.sum(); }
  @Override public long getTransactionsReplayed() { return transactionsReplayed.sum(); }
  @Override public long getReplaysRefused() { return replaysRefused.sum(); }
  @Override public long getCommitOutcomesResolved() { return commitOutcomesResolved.sum(); }
  @Override public long getConnectionsGuarded() { return connectionsGuarded.sum(); }
  @Override public long getFailoversFollowed() { return failoversFollowed.sum(); }
  @Override public long getLastFailoverMillis() { return lastFailoverMillis; }
  @Override public long getOpenConnections() { return openConnections.sum(); }
  @Override public long getOldestIdleMillis() { return oldestIdleMillis.getAsLong(); }
  @Override public long getLastRecoveryEpochMillis() { return lastRecoveryEpochMillis; }
  @Override public String getLastRecovery() { return lastRecovery; }
}
