package probe;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Bytes allocated per JDBC call pattern, counted by the JVM for this thread
 * ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}): independent of timing noise
 * and of what else the machine runs. Constant parameters, so H2's own value caches allocate the
 * same in every arm. Run it without and with {@code -javaagent}; the difference is the agent's.
 *
 * <pre>java [-javaagent:agent/target/connguard.jar] -cp bench/target/startup-probe.jar probe.AllocationPerCall</pre>
 */
public final class AllocationPerCall {
  private static final int WARMUP = 50_000;     // enough for C2 and its escape analysis
  private static final int MEASURED = 100_000;

  private interface Op {
    void run() throws SQLException;
  }

  private AllocationPerCall() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:alloc", "sa", "");
         Statement statement = c.createStatement()) {
      statement.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(32))");
      statement.execute("INSERT INTO t SELECT x, 'row ' || x FROM SYSTEM_RANGE(1, 100)");
      PreparedStatement selectInt = c.prepareStatement("SELECT ?");
      PreparedStatement selectFour = c.prepareStatement("SELECT CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS DOUBLE), CAST(? AS BOOLEAN)");
      PreparedStatement scan = c.prepareStatement("SELECT id, v FROM t");
      report("setInt+executeQuery", () -> {
        selectInt.setInt(1, 42);
        read(selectInt.executeQuery());
      });
      report("setLong,setString,setDouble,setBoolean+executeQuery", () -> {
        selectFour.setLong(1, 42L);
        selectFour.setString(2, "forty-two");
        selectFour.setDouble(3, 4.2);
        selectFour.setBoolean(4, true);
        read(selectFour.executeQuery());
      });
      report("setObject+executeQuery", () -> {
        selectInt.setObject(1, "42");
        read(selectInt.executeQuery());
      });
      report("Statement.executeQuery(sql)", () -> read(statement.executeQuery("SELECT 1")));
      report("executeQuery+iterate100", () -> {
        try (ResultSet rs = scan.executeQuery()) {
          while (rs.next()) {
            rs.getInt(1);
            rs.getString(2);
          }
        }
      });
      report("prepareStatement+close", () -> c.prepareStatement("SELECT ?").close());
      // A pooled app's borrow: a new statement each time, so its first parameter is recorded each time.
      report("prepareStatement+setInt+executeQuery+close", () -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT ?")) {
          ps.setInt(1, 42);
          read(ps.executeQuery());
        }
      });
      report("prepareStatement+setInt,setString+executeQuery+close", () -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS INT), CAST(? AS VARCHAR)")) {
          ps.setInt(1, 42);
          ps.setString(2, "forty-two");
          read(ps.executeQuery());
        }
      });
    }
  }

  private static void read(ResultSet rs) throws SQLException {
    try {
      rs.next();
      rs.getObject(1);
    } finally {
      rs.close();
    }
  }

  private static void report(String name, Op op) throws SQLException {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < WARMUP; i++) {
      op.run();
    }
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {     // the least of five: a GC or a JIT event adds, never removes
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < MEASURED; i++) {
        op.run();
      }
      best = Math.min(best, threads.getThreadAllocatedBytes(thread) - before);
    }
    System.out.printf("%-52s %8.1f B/op%n", name, (double) best / MEASURED);
  }
}
