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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * preparedSelect against a real server over loopback TCP: the agent's nanoseconds next to a
 * network round trip and pgjdbc's own work. Without a server the setup fails with one line saying
 * so, JMH reports that benchmark as failed, and the other benchmarks run on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PostgresBenchmarks {
  static final String URL = System.getProperty("connguard.bench.pgUrl",
      "jdbc:postgresql://127.0.0.1:5432/test?user=root&connectTimeout=3");

  Connection connection;
  PreparedStatement select;
  int parameter;

  @Setup
  public void open() {
    try {
      connection = DriverManager.getConnection(URL);
      select = connection.prepareStatement("SELECT ?");
    } catch (SQLException e) {
      throw new IllegalStateException("postgresPreparedSelect skipped: PostgreSQL not reachable at " + URL
          + " (" + e.getMessage() + ")");
    }
  }

  @TearDown
  public void close() throws SQLException {
    if (connection != null) {
      connection.close();
    }
  }

  @Benchmark
  public int postgresPreparedSelect() throws SQLException {
    select.setInt(1, ++parameter);
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
