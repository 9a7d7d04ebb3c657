package connguard.heal;

import connguard.config.Durations;
import connguard.heal.call.OwnCalls;
import connguard.log.Log;
import connguard.log.Redact;
import connguard.policy.FunctionCatalog;
import connguard.tuning.FunctionCatalogReader;
import connguard.tuning.IdleFit;
import connguard.tuning.PoolFit;
import connguard.tuning.PoolSettings;
import connguard.tuning.ServerKey;
import connguard.tuning.ServerTimeouts;
import connguard.tuning.TimeoutReader;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads each server's idle timeouts once, on the first guarded connection to it, on a daemon
 * thread of its own connection: warns when validateIdleAfter or maxAge cannot keep up with them
 * ({@link IdleFit}), and gives validateIdleAfter=auto its value. Never throws into the app; a
 * failed read is one DEBUG line and leaves everything as configured. Pools (HikariCP) report their
 * idle settings here too, and hear one WARN when the server closes idle sessions sooner ({@link PoolFit}).
 */
final class SelfTuner {
  // An app with a DataSource per tenant could name thousands of servers; a look at the first
  // ones tells the operator what they need to know.
  static final int MAX_SERVERS = 64;
  static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final int READ_TIMEOUT_MILLIS = 10_000;

  private final GuardContext ctx;
  private final long configuredValidateIdleAfterNanos;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  // One thread, gone after a minute of nothing to do: reads are rare and each is bounded.
  private final ExecutorService reader = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS,
      new LinkedBlockingQueue<Runnable>(), new ThreadFactory() {
        @Override public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "connguard-tuning");
          t.setDaemon(true);
          return t;
        }
      });
  private boolean autoChosen;          // guarded by this
  // Pools and servers meet in either order (a pool validates before its first connection, a
  // second pool may start an hour later): each side is kept and checked against the other.
  private final Map<String, ServerTimeouts> serversRead = new LinkedHashMap<String, ServerTimeouts>();   // guarded by this
  private final List<PoolSettings> pools = new ArrayList<PoolSettings>();                              // guarded by this
  private final Set<String> poolWarnings = new HashSet<String>();                                      // guarded by this

  SelfTuner(GuardContext ctx) {
    this.ctx = ctx;
    this.configuredValidateIdleAfterNanos = ctx.options.validateIdleAfterNanos();
  }

  /** Called for every new guarded connection; queues a read for a server not seen before. */
  void firstConnectionTo(final ConnectionFactory factory) {
    try {
      if (!ctx.options.readServerTimeouts()) {
        return;
      }
      final String server = factory.toString();
      if (seen.size() >= MAX_SERVERS || !seen.add(server)) {
        return;
      }
      reader.execute(new Runnable() {
        @Override public void run() {
          read(server, factory);
        }
      });
    } catch (RuntimeException bug) {
      Log.debug("connguard: cannot look at the server's idle timeouts: " + bug);
    }
  }

  private void read(String server, ConnectionFactory factory) {
    ServerTimeouts timeouts;
    Connection connection = null;
    OwnCalls.enter();     // our own connection and statements: the advice lets them through
    try {
      connection = ctx.reconnector.connectOnce(factory, CONNECT_TIMEOUT_NANOS);
      setNetworkTimeout(connection);
      timeouts = TimeoutReader.read(connection);
      readFunctions(server, connection, timeouts);
    } catch (Exception | LinkageError e) {
      // Driver messages may repeat the URL; its password stays masked.
      Log.debug("connguard: could not read the idle timeouts of " + server + ": " + Redact.url(String.valueOf(e)));
      return;
    } finally {
      OwnCalls.close(connection);
      OwnCalls.exit();
    }
    apply(server, timeouts);
  }

  /**
   * On the same connection, what the server's SQL is (its string settings, PostgreSQL's functions)
   * for reading statements after a failure. A failure here changes nothing: the built-in lists
   * keep serving.
   */
  private void readFunctions(String server, Connection connection, ServerTimeouts timeouts) {
    try {
      FunctionCatalog catalog = FunctionCatalogReader.read(connection, timeouts.product,
          ctx.options.trustDeclaredVolatility());
      ctx.serverCatalogs.put(server, catalog);
      Log.debug("connguard: read the SQL of " + server + ": " + catalog);
    } catch (Exception | LinkageError e) {
      Log.debug("connguard: could not read the functions of " + server + ": " + Redact.url(String.valueOf(e)));
    }
  }

  private void apply(String server, ServerTimeouts timeouts) {
    Log.debug("connguard: read the idle timeouts of " + server + (timeouts.isEmpty() ? ": none known" : ""));
    if (configuredValidateIdleAfterNanos == Durations.AUTO) {
      long chosen;
      synchronized (this) {
        long forServer = IdleFit.autoNanos(timeouts);
        // The smallest over all servers seen: one value serves every connection.
        chosen = autoChosen ? Math.min(ctx.validateIdleAfterNanos, forServer) : forServer;
        autoChosen = true;
        ctx.validateIdleAfterNanos = chosen;
      }
      Log.info(IdleFit.autoChoice(server, timeouts, chosen));
    }
    String warning = IdleFit.warning(server, timeouts, configuredValidateIdleAfterNanos, ctx.maxAgeNanos);
    if (warning != null) {
      Log.warn(warning);
    }
    List<PoolSettings> poolsNow;
    synchronized (this) {
      if (serversRead.size() < MAX_SERVERS) {
        serversRead.put(server, timeouts);
      }
      poolsNow = new ArrayList<PoolSettings>(pools);
    }
    for (PoolSettings pool : poolsNow) {
      checkPool(pool, server, timeouts);
    }
  }

  /** A pool validated its settings (HikariCP's HikariConfig.validate()); null when unreadable. */
  void poolConfigured(PoolSettings pool) {
    if (pool == null || !ctx.options.readServerTimeouts()) {
      return;
    }
    Map<String, ServerTimeouts> serversNow;
    synchronized (this) {
      if (pools.size() >= MAX_SERVERS) {
        return;
      }
      pools.add(pool);
      serversNow = new LinkedHashMap<String, ServerTimeouts>(serversRead);
    }
    for (Map.Entry<String, ServerTimeouts> server : serversNow.entrySet()) {
      checkPool(pool, server.getKey(), server.getValue());
    }
  }

  /** One WARN per pool and server whose idle limit the pool's idle connections outlive. */
  private void checkPool(PoolSettings pool, String server, ServerTimeouts timeouts) {
    if (!pool.servers.contains(ServerKey.of(server))) {
      return;
    }
    String warning = PoolFit.warning(server, timeouts, pool);
    if (warning == null) {
      return;
    }
    synchronized (this) {
      if (!poolWarnings.add(pool.pool + " " + server)) {
        return;
      }
    }
    Log.warn(warning);
  }

  private static void setNetworkTimeout(Connection connection) {
    try {
      connection.setNetworkTimeout(new Executor() {
        @Override public void execute(Runnable command) {
          command.run();
        }
      }, READ_TIMEOUT_MILLIS);
    } catch (Exception | AbstractMethodError notSupported) {
      // older drivers: the reader's query timeout still bounds each statement
    }
  }
}
