package connguard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first statement after its connection's backend was terminated (pg_terminate_backend, the
 * way an admin or a failover kills it), one invocation per kill.
 *
 * <p>With connguard the app just runs its statement: the agent finds it dead, reconnects and
 * re-executes. Without an agent the benchmark does what the floor of any app-level retry is: the
 * statement fails, then a fresh DriverManager.getConnection, the same prepare, the same statement.
 * connguard/none is therefore "transparent recovery against the hand-written floor" (target
 * &lt;= 1.3).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5)
@Measurement(iterations = 20)
public class RecoveryBenchmarks {
  static final String URL = PostgresBenchmarks.URL;
  private static final long KILL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  Connection admin;
  Connection connection;
  PreparedStatement select;
  boolean agent = System.getProperty("connguard.installed") != null;
  int parameter;

  @Setup(Level.Trial)
  public void open() {
    try {
      admin = DriverManager.getConnection(URL);
      connection = DriverManager.getConnection(URL);
      select = connection.prepareStatement("SELECT ?");
    } catch (SQLException e) {
      throw new IllegalStateException("postgresRecovery skipped: PostgreSQL not reachable at " + URL
          + " (" + e.getMessage() + ")");
    }
  }

  /** Before each invocation: terminate the connection's backend and wait until it is gone. */
  @Setup(Level.Invocation)
  public void kill() throws SQLException, InterruptedException {
    int pid;
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      pid = rs.getInt(1);
    }
    try (Statement st = admin.createStatement()) {
      st.execute("select pg_terminate_backend(" + pid + ")");
      long deadline = System.nanoTime() + KILL_WAIT_NANOS;
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = st.executeQuery("select count(*) from pg_stat_activity where pid = " + pid)) {
          rs.next();
          if (rs.getInt(1) == 0) {
            return;
          }
        }
        Thread.sleep(1);
      }
    }
    throw new IllegalStateException("backend " + pid + " still there " + KILL_WAIT_NANOS / 1_000_000 + " ms after pg_terminate_backend");
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    for (Connection c : new Connection[] {connection, admin}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Benchmark
  public int postgresRecovery() throws SQLException {
    select.setInt(1, ++parameter);
    try {
      return selectOnce();
    } catch (SQLException dead) {
      if (agent) {
        throw dead;       // connguard should have recovered: that it did not is the result
      }
      // The floor: what an app-level retry has to do at the very least.
      connection.close();
      connection = DriverManager.getConnection(URL);
      select = connection.prepareStatement("SELECT ?");
      select.setInt(1, parameter);
      return selectOnce();
    }
  }

  private int selectOnce() throws SQLException {
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
