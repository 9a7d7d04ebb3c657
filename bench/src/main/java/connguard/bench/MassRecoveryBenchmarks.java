package connguard.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every connection of an app killed at once (a failover, a restart, an admin clearing the
 * server), then all used again from {@link #THREADS} threads: the time until every connection has
 * answered its statement again. One invocation per mass kill.
 *
 * <p>With connguard the app just runs its statements; each connection must heal with exactly one
 * reconnect (no thundering herd: nothing opened beyond one replacement per connection). Without
 * an agent the benchmark does the floor of an app-level retry on each connection itself (the
 * statement fails, a fresh DriverManager.getConnection, the same prepare, the same statement), so
 * connguard/none is mass recovery against the hand-written floor.
 *
 * <p>After every invocation, outside the timing, it checks from an admin connection that the server
 * holds exactly one backend per connection (none leaked, none extra) and, with connguard, that its
 * MBean counted exactly one reconnect per connection. A violation fails the benchmark: its row then
 * says "failed" instead of a time.
 *
 * <p>MariaDB: 100 connections (max_connections is 151 here). PostgreSQL: 50 (max_connections is
 * 100 here, shared with the admin connection and anything else running).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// connguard writes one INFO line per recovered connection, 100 per invocation here. A forked JMH
// JVM's stderr is a socket to the JMH host that prints it: 0.1-0.2 ms a line under contention, 12-20 %
// of this row (2026-12-04, MariaDB, four pairs: stderr/file 0.87 paired), while the same lines
// written to a file cost nothing measurable (file 1.25 against none, logLevel=warn 1.30). So they
// go to a file, as an app's usually do (the other arms ignore the property).
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-Dconnguard.logFile=/tmp/connguard-bench-mass-recovery.log"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class MassRecoveryBenchmarks {
  static final int THREADS = 8;
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final ObjectName STATS = objectName("connguard:type=Stats");

  @Param({"mariadb", "postgres"})
  public String server;

  private Server db;
  private Connection admin;
  private Connection[] connections;
  private PreparedStatement[] selects;
  private ExecutorService threads;
  private final boolean agent = System.getProperty("connguard.installed") != null;
  private int invocation;
  private long reconnectsBefore;

  @Setup(Level.Trial)
  public void open() throws Exception {
    db = Server.named(server);
    try {
      admin = DriverManager.getConnection(db.adminUrl);
      try (Statement st = admin.createStatement()) {
        db.prepare(st);
      }
      connections = new Connection[db.connections];
      selects = new PreparedStatement[db.connections];
      for (int i = 0; i < db.connections; i++) {
        connections[i] = DriverManager.getConnection(db.appUrl);
        selects[i] = connections[i].prepareStatement("SELECT ?");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("massRecovery(server=" + server + ") skipped: " + server
          + " not reachable at " + db.adminUrl + " (" + e.getMessage() + ")");
    }
    threads = Executors.newFixedThreadPool(THREADS);
    if (agent) {
      awaitStatsMBean();
    }
  }

  /** Before each invocation: terminate every connection's backend and wait until all are gone. */
  @Setup(Level.Invocation)
  public void killAll() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (Connection c : connections) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(db.ownIdQuery())) {
        rs.next();
        ids.add(rs.getLong(1));
      }
    }
    try (Statement st = admin.createStatement()) {
      for (long id : ids) {
        db.kill(st, id);
      }
      awaitCount(st, db.aliveQuery(ids), 0, "backends still there after the kill");
    }
    reconnectsBefore = agent ? stat("Reconnects") : 0;
    invocation++;
  }

  @Benchmark
  public long massRecovery() throws Exception {
    List<Future<Long>> slices = new ArrayList<>(THREADS);
    for (int t = 0; t < THREADS; t++) {
      int first = t;
      slices.add(threads.submit(() -> runSlice(first)));
    }
    long sum = 0;
    for (Future<Long> slice : slices) {
      sum += slice.get();
    }
    return sum;
  }

  /** After each invocation, untimed: one backend per connection, and one reconnect each with the agent. */
  @TearDown(Level.Invocation)
  public void check() throws Exception {
    try (Statement st = admin.createStatement()) {
      awaitCount(st, db.appBackendsQuery(), db.connections, "backends of the app after recovery (one per connection)");
    }
    if (agent) {
      long reconnects = stat("Reconnects") - reconnectsBefore;
      if (reconnects != db.connections) {
        throw new IllegalStateException("connguard reconnected " + reconnects + " times for " + db.connections
            + " killed connections: expected exactly one each");
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    if (threads != null) {
      threads.shutdownNow();
    }
    if (connections != null) {
      for (Connection c : connections) {
        if (c != null) {
          c.close();
        }
      }
    }
    if (admin != null) {
      admin.close();
    }
  }

  private long runSlice(int first) throws SQLException {
    long sum = 0;
    for (int i = first; i < connections.length; i += THREADS) {
      sum += selectAgain(i);
    }
    return sum;
  }

  private int selectAgain(int i) throws SQLException {
    int value = invocation * 1000 + i;
    selects[i].setInt(1, value);
    try {
      return selectOnce(selects[i], value);
    } catch (SQLException dead) {
      if (agent) {
        throw dead;       // connguard should have recovered: that it did not is the result
      }
      // The floor: what an app-level retry has to do at the very least.
      connections[i].close();
      connections[i] = DriverManager.getConnection(db.appUrl);
      selects[i] = connections[i].prepareStatement("SELECT ?");
      selects[i].setInt(1, value);
      return selectOnce(selects[i], value);
    }
  }

  private static int selectOnce(PreparedStatement select, int expected) throws SQLException {
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      int answer = rs.getInt(1);
      if (answer != expected) {
        throw new IllegalStateException("SELECT ? answered " + answer + ", expected " + expected);
      }
      return answer;
    }
  }

  private static void awaitCount(Statement admin, String countQuery, long expected, String what)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    long count;
    do {
      try (ResultSet rs = admin.executeQuery(countQuery)) {
        rs.next();
        count = rs.getLong(1);
      }
      if (count == expected) {
        return;
      }
      Thread.sleep(5);
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException(what + ": " + count + ", expected " + expected + " within "
        + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s");
  }

  /** connguard registers its MBean on a thread of its own shortly after the first connection. */
  private static void awaitStatsMBean() throws InterruptedException {
    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!mbeans.isRegistered(STATS)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(STATS + " not registered: is the agent really on?");
      }
      Thread.sleep(10);
    }
  }

  private static long stat(String attribute) throws Exception {
    return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(STATS, attribute)).longValue();
  }

  private static ObjectName objectName(String name) {
    try {
      return new ObjectName(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What differs between the servers: URLs, how many connections, how to name, kill and count backends. */
  abstract static class Server {
    final String adminUrl;
    final String appUrl;
    final int connections;

    Server(String adminUrl, String appUrl, int connections) {
      this.adminUrl = adminUrl;
      this.appUrl = appUrl;
      this.connections = connections;
    }

    static Server named(String name) {
      switch (name) {
        case "mariadb":
          return new MariaDb();
        case "postgres":
          return new Postgres();
        default:
          throw new IllegalArgumentException("server=" + name + ": mariadb or postgres");
      }
    }

    /** Asked on an app connection: the id of its backend. */
    abstract String ownIdQuery();

    /** The statement that ends backend {@code id}. */
    abstract String killSql(long id);

    /**
     * Ends backend {@code id}. A refusal is no error here (MariaDB answers 1094 for a thread that
     * ended meanwhile): the count that follows every kill says whether it is gone.
     */
    final void kill(Statement admin, long id) {
      try {
        admin.execute(killSql(id));
      } catch (SQLException refused) {
        // the count after the kills decides, not the answer to one of them
      }
    }

    /** A count of the backends with these ids still on the server. */
    abstract String aliveQuery(List<Long> ids);

    /** The ids of the app's backends (the benchmark's connections, whatever their id). */
    abstract String appBackendIdsQuery();

    /** A count of the app's backends. */
    final String appBackendsQuery() {
      return "select count(*) from (" + appBackendIdsQuery() + ") app";
    }

    /** Once per trial, as admin: whatever the app's connections need, and no leftovers of an earlier run. */
    void prepare(Statement admin) throws SQLException {
      List<Long> leftovers = new ArrayList<>();
      try (ResultSet rs = admin.executeQuery(appBackendIdsQuery())) {
        while (rs.next()) {
          leftovers.add(rs.getLong(1));
        }
      }
      for (long id : leftovers) {
        kill(admin, id);      // a run cut short left them: they would be counted as the app's
      }
    }

    static String in(List<Long> ids) {
      StringBuilder in = new StringBuilder("(");
      for (long id : ids) {
        in.append(in.length() > 1 ? "," : "").append(id);
      }
      return in.append(')').toString();
    }
  }

  /** 100 connections of a user of their own: the processlist names each connection's user. */
  static final class MariaDb extends Server {
    static final String URL = System.getProperty("connguard.bench.mariadbUrl",
        "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=3000");
    static final String USER = "connguard_bench_mass";

    MariaDb() {
      super(URL + "&user=root", URL + "&user=" + USER, 100);
    }

    @Override String ownIdQuery() {
      return "select connection_id()";
    }

    @Override String killSql(long id) {
      return "kill connection " + id;
    }

    @Override String aliveQuery(List<Long> ids) {
      return "select count(*) from information_schema.processlist where id in " + in(ids);
    }

    @Override String appBackendIdsQuery() {
      return "select id from information_schema.processlist where user = '" + USER + "'";
    }

    @Override void prepare(Statement admin) throws SQLException {
      admin.execute("create user if not exists '" + USER + "'@'127.0.0.1'");
      admin.execute("grant all privileges on test.* to '" + USER + "'@'127.0.0.1'");
      super.prepare(admin);
    }
  }

  /** 50 connections named by application_name (max_connections is 100 here, shared). */
  static final class Postgres extends Server {
    static final String APP = "connguard-bench-mass";

    Postgres() {
      super(PostgresBenchmarks.URL, PostgresBenchmarks.URL + "&ApplicationName=" + APP, 50);
    }

    @Override String ownIdQuery() {
      return "select pg_backend_pid()";
    }

    @Override String killSql(long id) {
      return "select pg_terminate_backend(" + id + ")";
    }

    @Override String aliveQuery(List<Long> ids) {
      return "select count(*) from pg_stat_activity where pid in " + in(ids);
    }

    @Override String appBackendIdsQuery() {
      return "select pid from pg_stat_activity where application_name = '" + APP + "'";
    }
  }
}
