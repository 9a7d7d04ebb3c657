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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * preparedSelect with 1, 100 and 10,000 guarded connections open per thread, on one thread and on
 * every core: per-call cost must not grow with the number of connections (no global map or list
 * walked on the hot path) nor with threads (no shared lock or contended counter). Each call goes
 * to the thread's next connection in turn, so every connection's state stays live. JDBC objects
 * are never shared between threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScalingBenchmarks {
  static final String URL = "jdbc:h2:mem:scaling;DB_CLOSE_DELAY=-1";

  @Param({"1", "100", "10000"})
  public int connections;

  Connection[] open;
  PreparedStatement[] selects;
  int next;
  int parameter;

  @Setup
  public void open() throws SQLException {
    open = new Connection[connections];
    selects = new PreparedStatement[connections];
    for (int i = 0; i < connections; i++) {
      open[i] = DriverManager.getConnection(URL, "sa", "");
      selects[i] = open[i].prepareStatement("SELECT ?");
    }
  }

  @TearDown
  public void close() throws SQLException {
    for (Connection c : open) {
      c.close();
    }
  }

  @Benchmark
  @Threads(1)
  public int scalingOneThread() throws SQLException {
    return call();
  }

  @Benchmark
  @Threads(Threads.MAX)
  public int scalingAllCores() throws SQLException {
    return call();
  }

  private int call() throws SQLException {
    PreparedStatement select = selects[next];
    next = next + 1 == connections ? 0 : next + 1;
    select.setInt(1, ++parameter);
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
