package connguard.heal;

import connguard.classify.DeadConnectionClassifier;
import connguard.classify.Verdict;
import connguard.config.Durations;
import connguard.config.Options;
import connguard.heal.check.Validator;
import connguard.log.Log;
import connguard.log.OffThread;
import connguard.metrics.AppMetrics;
import connguard.metrics.ServerReadings;
import connguard.metrics.ServerTags;
import connguard.policy.Dialect;
import connguard.policy.FunctionCatalog;
import connguard.policy.RetryPolicy;
import connguard.stats.Counts;
import connguard.stats.Stats;
import connguard.stats.StatsLine;
import connguard.tuning.ServerKey;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** What every guarded object shares: options, decisions, counters. One per agent installation. */
public final class GuardContext {
  public final Options options;
  public final Stats stats;
  /** Where the counters go besides: the MBean, the app's Micrometer and OpenTelemetry, span events. */
  public final AppMetrics metrics;
  final DeadConnectionClassifier classifier = new DeadConnectionClassifier();
  final RetryPolicy policy;
  final Reconnector reconnector;
  final Validator validator;
  /** Volatile: validateIdleAfter=auto lowers it once a server's idle timeouts are read ({@link SelfTuner}). */
  volatile long validateIdleAfterNanos;
  final long maxAgeNanos;
  /** Heal nothing; say what would have been done (dryRun=true). */
  final boolean dryRun;
  final SelfTuner tuner;
  /** Each server's SQL as {@link SelfTuner} read it, by the server's name (its factory's text). */
  final ConcurrentHashMap<String, FunctionCatalog> serverCatalogs =
      new ConcurrentHashMap<String, FunctionCatalog>();
  private final AtomicLong ids = new AtomicLong();
  /** Open guarded connections, held weakly: only for the OldestIdleMillis gauge. */
  private final Set<LogicalConnection> open = Collections.synchronizedSet(
      Collections.newSetFromMap(new WeakHashMap<LogicalConnection, Boolean>()));
  private volatile boolean started;
  /** How many classes the JVM has loaded so far: when the app is past its start-up ({@link #announce}). */
  private final LongSupplier classesLoaded;

  GuardContext(Options options, Stats stats, LongSupplier classesLoaded) {
    this.options = options;
    this.classesLoaded = classesLoaded;
    this.stats = stats;
    this.policy = new RetryPolicy(options.maxRetries());
    this.reconnector = new Reconnector(options.retryWindowNanos());
    this.validator = new Validator(options.validationTimeoutMillis());
    // auto: the default until a server's idle timeouts are known.
    this.validateIdleAfterNanos = options.validateIdleAfterNanos() == Durations.AUTO
        ? Options.validateIdleAfterDefaultNanos() : options.validateIdleAfterNanos();
    this.maxAgeNanos = options.maxAgeNanos();
    this.dryRun = options.dryRun();
    this.tuner = new SelfTuner(this);
    stats.oldestIdleMillis(new LongSupplier() {
      @Override public long getAsLong() {
        return openAndOldestIdle(null)[1];
      }
    });
    this.metrics = new AppMetrics(options, stats, new ServerReadings() {
      @Override public long openConnections(ServerTags server) {
        return openAndOldestIdle(server)[0];
      }

      @Override public long oldestIdleMillis(ServerTags server) {
        return openAndOldestIdle(server)[1];
      }
    });
  }

  /**
   * The server {@code factory} connects to, as the app's metrics tag it: from the URL's host, port
   * and database (never its credentials). Once per new physical connection, and only with
   * metrics=auto: a regex on the URL (~1 us) beside a connect that takes milliseconds.
   */
  ServerTags serverOf(ConnectionFactory factory) {
    if (!metrics.bindsAppMetrics()) {
      return ServerTags.UNKNOWN;
    }
    ServerKey key = ServerKey.parse(factory.url());
    return metrics.server(key == null ? ServerTags.UNKNOWN
        : ServerTags.of(key.protocol, key.host, key.port, key.database));
  }

  /**
   * What the agent knows of the SQL of the server behind {@code factory}: its catalog once read,
   * else the built-in lists of the dialect its driver speaks.
   */
  FunctionCatalog catalogFor(ConnectionFactory factory, Object physical) {
    FunctionCatalog read = serverCatalogs.isEmpty() ? null : serverCatalogs.get(factory.toString());
    return read != null ? read
        : FunctionCatalog.builtin(Dialect.guessFromDriver(physical == null ? null : physical.getClass().getName()));
  }

  /**
   * Whether {@code failure}, thrown by a call on the physical connection {@code physical}, shows
   * that connection dead: the classifier's verdict, with the driver asked whether it reports the
   * connection closed.
   */
  public boolean isDeadConnection(Throwable failure, Object physical) {
    return isDeadConnection(failure, LogicalConnection.isClosedQuietly(physical));
  }

  /** The same, when whether the driver reports the connection closed is known already. */
  boolean isDeadConnection(Throwable failure, boolean driverReportsClosed) {
    return classifier.classify(failure, driverReportsClosed) == Verdict.DEAD;
  }

  void opened(LogicalConnection connection) {
    open.add(connection);
  }

  void closed(LogicalConnection connection) {
    open.remove(connection);
  }

  /**
   * Of the open guarded connections to {@code server} (null: to any), how many, and how long the
   * longest-idle of them has been idle in ms. Asked by JMX and the app's metrics, never on a call.
   */
  private long[] openAndOldestIdle(ServerTags server) {
    long now = CoarseClock.nanoTime();
    long count = 0;
    long oldest = 0;
    synchronized (open) {
      for (LogicalConnection c : open) {
        if (server == null || server.equals(c.server)) {
          count++;
          oldest = Math.max(oldest, now - c.lastUsedNanos());
        }
      }
    }
    return new long[] {count, oldest / 1_000_000};
  }

  /** A new physical connection is guarded: start what only guarded connections need. */
  long register(ConnectionFactory factory, Counts counts) {
    if (!started) {
      synchronized (this) {
        if (!started) {
          started = true;
          // The app runs its own code now: with logging=app, its logging is set up (no app
          // connects before that) and the agent's lines kept until now go through it.
          ClassLoader app = Thread.currentThread().getContextClassLoader();
          Log.appReady(app);
          metrics.appReady(app);
          CoarseClock.start();
          StatsLine.start(stats, options.statsIntervalNanos());
          announce(factory);
        }
      }
    }
    tuner.firstConnectionTo(factory);
    counts.connectionsGuarded.increment();
    stats.openConnections.increment();
    return ids.incrementAndGet();
  }

  /**
   * The MBean, the app's meters ({@link AppMetrics#bind}) and the start-up line, on a thread of
   * their own once the app looks past its start-up ({@link AppStartWait}). A JVM that ends sooner
   * still gets the line (exit wakes the thread and waits for it, briefly), but no MBean: nobody
   * could read it any more.
   */
  private void announce(final ConnectionFactory factory) {
    OffThread.start("connguard-start", new Runnable() {
      @Override public void run() {
        boolean exiting = AppStartWait.await(AppStartWait.SYSTEM, classesLoaded, new BooleanSupplier() {
          @Override public boolean getAsBoolean() {
            return Stats.isJmxRunning();
          }
        });
        String counters = exiting ? "" : "; counters in: " + metrics.bind();
        Log.info("connguard: guarding JDBC connections (first: " + factory + ")" + counters + "; " + options.describe());
      }
    });
  }
}
