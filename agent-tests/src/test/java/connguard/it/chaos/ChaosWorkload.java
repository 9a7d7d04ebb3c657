package connguard.it.chaos;

import connguard.it.harness.JdbcShell;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The chaos app for the child JVM: {@code threads} workers doing a random mix of reads,
 * autocommit inserts, 3-row transactions and idempotent upserts for a bounded time, while the
 * test breaks their connections. Every op's outcome is kept in memory; at the end one line
 * {@code CHAOS k=v k=v ...} goes to stdout, and every acknowledged key to {@code chaos.keys}, one
 * per line, for the test to compare with the database. Everything else goes to stderr.
 *
 * <p>System properties: chaos.url, chaos.db (postgres|mariadb), chaos.pool (true|false),
 * chaos.ledger, chaos.upserts (table names), chaos.keys (file), chaos.threads (4),
 * chaos.seconds (15), chaos.seed, chaos.latencies (file: one {@code endEpochMillis millis} line
 * per successful op, for the test to attribute latency to the fault that was active),
 * chaos.pauseFile (while this file exists no worker starts an op: the connections sit idle, so a
 * server idle timeout can end them), chaos.checkedFile (the test writes it once it has counted
 * the sessions left while this JVM still lives; it then exits, or after chaos.holdMillis).
 */
public final class ChaosWorkload {
  /** An op slower than this counts as hung: the drivers' timeouts should end it long before. */
  static final long HUNG_MILLIS = 30_000;
  static final int MAX_OPS_PER_THREAD = 200_000;
  static final int MAX_ERROR_LINES = 300;
  static final List<String> STATS = List.of("StatementsRetried", "Reconnects", "RetriesRefused",
      "RetriesExhausted", "DeadConnectionsDetected", "TransactionsLost");

  private final String url = System.getProperty("chaos.url");
  private final boolean mariadb = "mariadb".equals(System.getProperty("chaos.db"));
  private final boolean pool = Boolean.getBoolean("chaos.pool");
  private final String ledger = System.getProperty("chaos.ledger");
  private final String upserts = System.getProperty("chaos.upserts");
  private final int threads = Integer.getInteger("chaos.threads", 4);
  private final long seconds = Long.getLong("chaos.seconds", 15);
  private final long seed = Long.getLong("chaos.seed", System.nanoTime());

  private final Map<String, LongAdder> ops = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> okMillis = Collections.synchronizedList(new ArrayList<>());
  private final List<long[]> okTimes = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean paused;
  private final AtomicInteger errorLines = new AtomicInteger();
  private final LongAdder hung = new LongAdder();
  /** Times a worker had to open a new Connection because its own became unusable (no pool). */
  private final LongAdder connectionsLost = new LongAdder();
  private volatile long maxAnyMillis;
  private com.zaxxer.hikari.HikariDataSource dataSource;

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    ChaosWorkload w = new ChaosWorkload();
    String line = w.run(out);
    out.println(line);
    out.flush();
    // Every Connection and the pool are closed now, the JVM still lives: the test counts the
    // sessions left on the server, which only a leak inside this JVM can keep open, then writes
    // chaos.checkedFile.
    awaitFile(System.getProperty("chaos.checkedFile"), Long.getLong("chaos.holdMillis", 4000));
    System.exit(0);
  }

  private String run(PrintStream out) throws Exception {
    if (pool) {
      com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
      config.setJdbcUrl(url);
      config.setMaximumPoolSize(threads);
      config.setConnectionTimeout(5000);
      config.setValidationTimeout(2000);
      config.setPoolName("chaos");
      config.setInitializationFailTimeout(10_000);
      dataSource = new com.zaxxer.hikari.HikariDataSource(config);
    }
    // The test starts its faults only now: a fault during start-up (the pool's first
    // connection) is another test, not this one.
    Thread pauseWatcher = watchPauseFile();
    out.println("STARTED");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> work(id, end), "chaos-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(seconds) + 2 * HUNG_MILLIS);
    }
    if (pauseWatcher != null) {
      pauseWatcher.interrupt();
    }
    if (dataSource != null) {
      dataSource.close();
    }
    Files.write(Paths.get(System.getProperty("chaos.keys")), new ArrayList<>(acknowledged),
        StandardCharsets.UTF_8);
    String latencies = System.getProperty("chaos.latencies");
    if (latencies != null) {
      List<String> lines = new ArrayList<>();
      synchronized (okTimes) {
        for (long[] t : okTimes) {
          lines.add(t[0] + " " + t[1]);
        }
      }
      Files.write(Paths.get(latencies), lines, StandardCharsets.UTF_8);
    }
    return summary();
  }

  /** Polls every 20 ms until {@code file} exists, at most {@code millis}; without a file, just waits. */
  private static void awaitFile(String file, long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end && (file == null || !Files.exists(Paths.get(file)))) {
      pause(20);
    }
  }

  /** Polls chaos.pauseFile every 20 ms into {@link #paused}; null if there is none. */
  private Thread watchPauseFile() {
    String file = System.getProperty("chaos.pauseFile");
    if (file == null) {
      return null;
    }
    java.nio.file.Path path = Paths.get(file);
    Thread watcher = new Thread(() -> {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60);
      while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
        paused = Files.exists(path);
        pause(20);
      }
      paused = false;
    }, "chaos-pause-watcher");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  /** One worker: its own connection (or a pool borrow per op), a random op at a time. */
  private void work(int thread, long endNanos) {
    Random random = new Random(seed * 31 + thread);
    Connection held = null;
    for (int seq = 0; seq < MAX_OPS_PER_THREAD && System.nanoTime() < endNanos; seq++) {
      int dice = random.nextInt(100);
      String kind = dice < 40 ? "read" : dice < 70 ? "insert" : dice < 85 ? "tx" : "upsert";
      String key = thread + "-" + seq;
      for (int waits = 0; paused && waits < 1000 && System.nanoTime() < endNanos; waits++) {
        pause(10);                          // idle on purpose: the "idle" fault
      }
      Connection c;
      try {
        c = pool ? dataSource.getConnection() : held != null ? held : (held = connect());
      } catch (SQLException e) {
        failed(pool ? "borrow" : "connect", key, e, 0);
        pause(50);
        continue;
      }
      long started = System.nanoTime();
      try {
        runOp(c, kind, key, thread);
        long millis = (System.nanoTime() - started) / 1_000_000;
        count(ops, kind);
        okMillis.add(millis);
        okTimes.add(new long[] {System.currentTimeMillis(), millis});
        noteLatency(millis);
      } catch (SQLException e) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        noteLatency(millis);
        failed(kind, key, e, millis);
        if (!pool && isLost(c, e)) {
          // What a batch job does: log the failed item and carry on with the same Connection,
          // unless it is closed under it; then it must open another: a connection lost.
          closeQuietly(c);
          held = null;
          connectionsLost.increment();
        }
      } finally {
        if (pool) {
          closeQuietly(c);
        }
      }
    }
    closeQuietly(held);
  }

  private void runOp(Connection c, String kind, String key, int thread) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(10);
      switch (kind) {
        case "read":
          try (ResultSet rs = s.executeQuery("select count(*) from " + ledger + " where th = " + thread)) {
            rs.next();
          }
          break;
        case "insert":
          s.executeUpdate(insert("a-" + key, null, thread));
          acknowledged.add("a-" + key);
          break;
        case "tx":
          c.setAutoCommit(false);
          try {
            String tx = "t-" + key;
            for (int i = 0; i < 3; i++) {
              s.executeUpdate(insert(tx + "-" + i, tx, thread));
            }
            c.commit();
            for (int i = 0; i < 3; i++) {
              acknowledged.add(tx + "-" + i);
            }
          } catch (SQLException e) {
            try {
              c.rollback();
            } catch (SQLException ignored) {
              // The connection is gone; so is the transaction.
            }
            throw e;
          } finally {
            try {
              c.setAutoCommit(true);
            } catch (SQLException ignored) {
              // Broken connection: the caller replaces it.
            }
          }
          break;
        case "upsert":
          String sql = mariadb
              ? "/* connguard:idempotent */ insert ignore into " + upserts + " (k, th) values ('u-" + key + "', " + thread + ")"
              : "/* connguard:idempotent */ insert into " + upserts + " (k, th) values ('u-" + key + "', " + thread
                  + ") on conflict (k) do nothing";
          s.executeUpdate(sql);
          acknowledged.add("u-" + key);
          break;
        default:
          throw new IllegalStateException(kind);
      }
    }
  }

  private String insert(String key, String tx, int thread) {
    return "insert into " + ledger + " (k, tx, th) values ('" + key + "', "
        + (tx == null ? "null" : "'" + tx + "'") + ", " + thread + ")";
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  private void failed(String kind, String key, SQLException e, long millis) {
    String state = e.getSQLState() == null ? "none" : e.getSQLState();
    String stateClass = state.length() >= 2 && !state.equals("none") ? state.substring(0, 2) : state;
    count(errors, kind + ":" + stateClass);
    if (errorLines.incrementAndGet() <= MAX_ERROR_LINES) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      System.err.println("chaos: error " + kind + " key=" + key + " state=" + state + " code="
          + e.getErrorCode() + " ms=" + millis + " " + e.getClass().getSimpleName() + ": " + message);
    }
  }

  private synchronized void noteLatency(long millis) {
    if (millis > HUNG_MILLIS) {
      hung.increment();
    }
    maxAnyMillis = Math.max(maxAnyMillis, millis);
  }

  /** The Connection says it is closed, or the error says it no longer exists (08003). */
  private static boolean isLost(Connection c, SQLException e) {
    try {
      return c.isClosed() || "08003".equals(e.getSQLState());
    } catch (SQLException closed) {
      return true;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Broken already.
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void count(Map<String, LongAdder> map, String key) {
    map.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private String summary() {
    StringJoiner line = new StringJoiner(" ", "CHAOS ", "");
    line.add("seed=" + seed);
    line.add("ops=" + joined(ops));
    line.add("errors=" + joined(errors));
    line.add("acknowledged=" + acknowledged.size());
    line.add("connectionsLost=" + (pool ? "-" : Long.toString(connectionsLost.sum())));
    line.add("hung=" + hung.sum());
    List<Long> sorted = new ArrayList<>(okMillis);
    Collections.sort(sorted);
    line.add("p50=" + percentile(sorted, 50));
    line.add("p99=" + percentile(sorted, 99));
    line.add("max=" + (sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)));
    line.add("maxAny=" + maxAnyMillis);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (String stat : STATS) {
      try {
        Object value = server.getAttribute(new ObjectName(JdbcShell.STATS_MBEAN), stat);
        line.add(stat + "=" + value);
      } catch (Exception absent) {
        // No agent, or no such counter: the test reads it as "-".
      }
    }
    return line.toString();
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** {@code a:1,b:2}, sorted; "none" when empty. */
  private static String joined(Map<String, LongAdder> map) {
    if (map.isEmpty()) {
      return "none";
    }
    StringJoiner j = new StringJoiner(",");
    new TreeMap<>(map).forEach((k, v) -> j.add(k + ":" + v.sum()));
    return j.toString();
  }
}
