package connguard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
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
 * preparedSelect the way a pooled app does it: borrow, prepare, run, close, return. HikariCP's
 * proxies implement java.sql.Connection and Statement too, so with the agent both the proxy and
 * the H2 object below it are woven: this row shows the cost of that stacking.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class HikariBenchmarks {
  HikariDataSource pool;
  int parameter;

  @Setup
  public void open() throws SQLException {
    Floor.installIfAsked("org.h2.Driver");
    // Before HikariCP's first log call: its INFO lines would interleave with JMH's output.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:hikari;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(2);
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection()) {
      Floor.check(c.unwrap(org.h2.jdbc.JdbcConnection.class));
    }
  }

  @TearDown
  public void close() {
    pool.close();
  }

  @Benchmark
  public int hikariPreparedSelect() throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
      ps.setInt(1, ++parameter);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
