package connguard.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * The first statement after an idle period longer than validateIdleAfter, against PostgreSQL:
 * with connguard it is preceded by one validation (isValid, one round trip); without, it is not.
 * The floor of the added cost is one loopback round trip; connguard-none shows what it is here.
 *
 * <p>validateIdleAfter is lowered to 20 ms by system property (agent arguments would win, so the
 * connguard arm must not set it) and every invocation follows 30 ms of idle.
 *
 * <p>{@code postgresAfterIdleValidated} is the floor itself: without the agent the benchmark
 * validates by hand, as an app or a pool would ({@code isValid(1)}, then the statement); with it
 * the agent does. Its connguard/none is the agent's validation against the hand-written one
 * (target: 1, one round trip and nothing more); {@code postgresAfterIdle}'s connguard/none is
 * what validating after idle adds at all. A round trip after idle is slower than a hot one (the
 * server's backend and both CPUs wake up), which is why the second row is needed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-Dconnguard.validateIdleAfter=20ms"})
@Warmup(iterations = 20)
@Measurement(iterations = 50)
public class ValidationBenchmarks {
  static final long IDLE_MILLIS = 30;

  Connection connection;
  PreparedStatement select;
  int parameter;
  boolean agent = System.getProperty("connguard.installed") != null;

  @Setup(Level.Trial)
  public void open() {
    try {
      connection = DriverManager.getConnection(PostgresBenchmarks.URL);
      select = connection.prepareStatement("SELECT ?");
    } catch (SQLException e) {
      throw new IllegalStateException("postgresAfterIdle skipped: PostgreSQL not reachable at "
          + PostgresBenchmarks.URL + " (" + e.getMessage() + ")");
    }
  }

  @Setup(Level.Invocation)
  public void idle() throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }

  @Benchmark
  public int postgresAfterIdle() throws SQLException {
    return select();
  }

  @Benchmark
  public int postgresAfterIdleValidated() throws SQLException {
    if (!agent && !connection.isValid(1)) {
      throw new IllegalStateException("connection not valid after idle");
    }
    return select();
  }

  private int select() throws SQLException {
    select.setInt(1, ++parameter);
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
