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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One op = one JDBC call pattern on H2 in-memory, embedded: no network, so the agent's share of
 * each call is as large as it gets. The connection comes from DriverManager, so with the agent it
 * is a guarded connection exactly as an app's would be.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class H2Benchmarks {
  static final String URL = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
  static final int ROWS = 1_000;
  static final int BATCH = 100;
  /** batch100 empties its table every this many ops: at most 10,000 rows, whatever the run length. */
  static final int BATCHES_PER_TRUNCATE = 100;

  Connection connection;
  PreparedStatement select;
  Statement statement;
  PreparedStatement insert;
  Statement truncate;
  PreparedStatement scan;
  int parameter;
  int batches;

  @Setup
  public void open() throws SQLException {
    Floor.installIfAsked("org.h2.Driver");
    connection = DriverManager.getConnection(URL, "sa", "");
    Floor.check(connection);
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE batch_target(id INT, v VARCHAR(32))");
      ddl.execute("CREATE TABLE rows1000(id INT PRIMARY KEY, v VARCHAR(32))");
      ddl.execute("INSERT INTO rows1000 SELECT x, 'row ' || x FROM SYSTEM_RANGE(1, " + ROWS + ")");
    }
    select = connection.prepareStatement("SELECT ?");
    statement = connection.createStatement();
    insert = connection.prepareStatement("INSERT INTO batch_target(id, v) VALUES (?, ?)");
    truncate = connection.createStatement();
    scan = connection.prepareStatement("SELECT id, v FROM rows1000");
  }

  @TearDown
  public void close() throws SQLException {
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("DROP ALL OBJECTS");
    }
    connection.close();
  }

  /** setInt + executeQuery + next + getInt + close: the most frequent pattern, the thinnest call. */
  @Benchmark
  public int preparedSelect() throws SQLException {
    // A new value each time: H2 may reuse the last result of a query whose parameters did not change.
    select.setInt(1, ++parameter);
    try (ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Statement.executeQuery(sql): the SQL string goes through the agent on every call. */
  @Benchmark
  public int statementExecute() throws SQLException {
    try (ResultSet rs = statement.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** 100 x (setInt, setString, addBatch), then executeBatch: the agent records a batch for replay. */
  @Benchmark
  public int batch100() throws SQLException {
    if (++batches % BATCHES_PER_TRUNCATE == 0) {
      truncate.execute("TRUNCATE TABLE batch_target");
    }
    int base = batches * BATCH;
    for (int i = 0; i < BATCH; i++) {
      insert.setInt(1, base + i);
      insert.setString(2, "v");
      insert.addBatch();
    }
    return insert.executeBatch().length;
  }

  /** One executeQuery, then 1,000 rows read: ResultSet calls are not woven, so the share is small. */
  @Benchmark
  public long iterate1000() throws SQLException {
    long sum = 0;
    try (ResultSet rs = scan.executeQuery()) {
      while (rs.next()) {
        sum += rs.getInt(1) + rs.getString(2).length();
      }
    }
    return sum;
  }

  /** Connection.prepareStatement + close: a statement's whole life, as pools and ORMs do it. */
  @Benchmark
  public PreparedStatement prepareClose() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?");
    ps.close();
    return ps;
  }
}
