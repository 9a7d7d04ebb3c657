package connguard.stats;

import connguard.log.Log;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * What the agent did since start, per server ({@link Counts}) and for the whole JVM (the MBean's
 * counters, their sums). Incremented only off the hot path (failures, heals, new connections).
 */
public final class Stats implements StatsMBean {
  public static final String OBJECT_NAME = "connguard:type=Stats";

  /**
   * The counters, one set per server: keyed by the server as the app's metrics tag it (metrics'
   * ServerTags; every connection of a server holds its set). The keys are bounded by their maker
   * (metrics' Servers.MAX, the rest under one unknown server), so summing them all is cheap.
   */
  private final ConcurrentHashMap<Object, Counts> byServer = new ConcurrentHashMap<Object, Counts>();

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

  /**
   * The counters of {@code server}, made at its first connection; looked up once per connection,
   * never per call. {@code server} is an interned, bounded key (see {@link #byServer}).
   */
  public Counts countsOf(Object server) {
    Counts counts = byServer.get(server);
    if (counts == null) {
      Counts fresh = new Counts();
      counts = byServer.putIfAbsent(server, fresh);
      if (counts == null) {
        counts = fresh;
      }
    }
    return counts;
  }

  /** The counter {@code index} ({@link Counts}' constants) of every server, summed: the MBean's value. */
  public long total(int index) {
    long sum = 0;
    for (Counts counts : byServer.values()) {
      sum += counts.get(index).sum();
    }
    return sum;
  }

  /** A failover followed on a connection that counts in {@code counts}, and how long it took. */
  public void recordFailover(Counts counts, long millis) {
    counts.failoversFollowed.increment();
    lastFailoverMillis = millis;
  }

  /** One line for the periodic summary (statsInterval). */
  public String summary() {
    return "connguard: stats: open=" + openConnections.sum() + " guarded=" + getConnectionsGuarded()
        + " dead=" + getDeadConnectionsDetected() + " validationsFailed=" + getValidationsFailed()
        + " reconnects=" + getReconnects() + " retried=" + getStatementsRetried()
        + " refused=" + getRetriesRefused() + " exhausted=" + getRetriesExhausted()
        + " transactionsLost=" + getTransactionsLost() + " recycled=" + getConnectionsRecycled()
        + " replayed=" + getTransactionsReplayed() + " replaysRefused=" + getReplaysRefused()
        + " commitOutcomesResolved=" + getCommitOutcomesResolved() + " failoversFollowed=" + getFailoversFollowed();
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

  @Override public long getDeadConnectionsDetected() { return total(Counts.DEAD_CONNECTIONS_DETECTED); }
  @Override public long getReconnects() { return total(Counts.RECONNECTS); }
  @Override public long getStatementsRetried() { return total(Counts.STATEMENTS_RETRIED); }
  @Override public long getRetriesExhausted() { return total(Counts.RETRIES_EXHAUSTED); }
  @Override public long getValidationsFailed() { return total(Counts.VALIDATIONS_FAILED); }
  @Override public long getRetriesRefused() { return total(Counts.RETRIES_REFUSED); }
  @Override public long getTransactionsLost() { return total(Counts.TRANSACTIONS_LOST); }
  @Override public long getConnectionsRecycled() { return total(Counts.CONNECTIONS_RECYCLED); }
  @Override public long getTransactionsReplayed() { return total(Counts.TRANSACTIONS_REPLAYED); }
  @Override public long getReplaysRefused() { return total(Counts.REPLAYS_REFUSED); }
  @Override public long getCommitOutcomesResolved() { return total(Counts.COMMIT_OUTCOMES_RESOLVED); }
  @Override public long getConnectionsGuarded() { return total(Counts.CONNECTIONS_GUARDED); }
  @Override public long getFailoversFollowed() { return total(Counts.FAILOVERS_FOLLOWED); }
  @Override public long getLastFailoverMillis() { return lastFailoverMillis; }
  @Override public long getOpenConnections() { return openConnections.sum(); }
  @Override public long getOldestIdleMillis() { return oldestIdleMillis.getAsLong(); }
  @Override public long getLastRecoveryEpochMillis() { return lastRecoveryEpochMillis; }
  @Override public String getLastRecovery() { return lastRecovery; }
}
