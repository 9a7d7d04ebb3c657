package connguard.it.chaos;

import connguard.it.harness.JdbcShell;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The long-life app for the child JVM: opens, uses ({@code select 1}) and closes
 * {@code life.connections} H2 in-memory connections one after another, and every
 * {@code life.connections / life.samples} connections prints, after a full GC, the heap in use
 * and the live instances of the agent's classes:
 * {@code LIFE opened=N heapKb=.. connguardObjects=.. logicalConnections=.. guarded=.. open=..}.
 * One connection stays open all along (it keeps the in-memory database, and proves the class
 * histogram does see a live LogicalConnection).
 */
public final class LongLifeWorkload {
  static final String LOGICAL_CONNECTION = "connguard.heal.LogicalConnection";
  private static final String URL = "jdbc:h2:mem:longlife";

  public static void main(String[] args) throws Exception {
    int connections = Integer.getInteger("life.connections", 1_000_000);
    int samples = Integer.getInteger("life.samples", 10);
    int every = Math.max(1, connections / samples);
    long start = System.nanoTime();
    try (Connection keeper = DriverManager.getConnection(URL)) {
      sample(0);
      for (int i = 1; i <= connections; i++) {
        try (Connection c = DriverManager.getConnection(URL);
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select 1")) {
          rs.next();
        }
        if (i % every == 0) {
          sample(i);
        }
      }
      selectOne(keeper);
    }
    System.out.println("LIFE-DONE connections=" + connections + " seconds="
        + (System.nanoTime() - start) / 1_000_000_000L);
  }

  private static void selectOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
    }
  }

  private static void sample(int opened) throws Exception {
    // The histogram runs a full GC first; a second System.gc() lets weak references and
    // their reference queues settle before the heap is read.
    histogram();
    System.gc();
    long heapKb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    long agentObjects = 0;
    long logical = 0;
    for (String line : histogram().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[3].startsWith("connguard.") && !f[3].startsWith("connguard.it.")) {
        long instances = Long.parseLong(f[1]);
        agentObjects += instances;
        if (f[3].equals(LOGICAL_CONNECTION)) {
          logical = instances;
        }
      }
    }
    System.out.println("LIFE opened=" + opened + " heapKb=" + heapKb + " connguardObjects="
        + agentObjects + " logicalConnections=" + logical + " guarded=" + stat("ConnectionsGuarded")
        + " open=" + stat("OpenConnections"));
  }

  /** jcmd GC.class_histogram of this JVM, through the DiagnosticCommand MBean (a full GC first). */
  private static String histogram() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    return (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
        "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
  }

  private static String stat(String attribute) {
    try {
      return String.valueOf(ManagementFactory.getPlatformMBeanServer()
          .getAttribute(new ObjectName(JdbcShell.STATS_MBEAN), attribute));
    } catch (Exception absent) {
      return "-";
    }
  }
}
