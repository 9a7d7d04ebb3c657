package probe;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Memory probe: heap retained per open connection and per open statement (H2 in-memory), from
 * the heap in use after full GCs before and after opening them. Run once per arm; the difference
 * between arms is what the agent keeps per object.
 */
public final class Footprint {
  static final int CONNECTIONS = 2_000;
  static final int STATEMENTS_PER_CONNECTION = 4;
  static final int WARM_UP = 200;

  private Footprint() {}

  public static void main(String[] args) throws SQLException {
    String url = "jdbc:h2:mem:footprint;DB_CLOSE_DELAY=-1";
    Connection first = DriverManager.getConnection(url, "sa", "");   // the database, and every class loaded
    first.prepareStatement("SELECT ?").close();
    awaitAgentStart();
    // A first batch before the baseline: whatever is made once (the agent's start-up, its one look
    // at the server's timeouts on a connection of its own, the driver's caches) lands before it,
    // and what follows is only what each further connection keeps.
    Connection[] warmUp = new Connection[WARM_UP];
    for (int i = 0; i < WARM_UP; i++) {
      warmUp[i] = DriverManager.getConnection(url, "sa", "");
    }
    long before = usedAfterGc();

    Connection[] connections = new Connection[CONNECTIONS];
    for (int i = 0; i < CONNECTIONS; i++) {
      connections[i] = DriverManager.getConnection(url, "sa", "");
    }
    long withConnections = usedAfterGc();

    PreparedStatement[] statements = new PreparedStatement[CONNECTIONS * STATEMENTS_PER_CONNECTION];
    for (int i = 0; i < statements.length; i++) {
      statements[i] = connections[i % CONNECTIONS].prepareStatement("SELECT ?");
    }
    long withStatements = usedAfterGc();

    System.out.printf("ready connection=%d statement=%d%n", (withConnections - before) / CONNECTIONS,
        (withStatements - withConnections) / statements.length);
    for (PreparedStatement s : statements) {      // keeps them reachable up to here
      s.close();
    }
    for (Connection c : connections) {
      c.close();
    }
    for (Connection c : warmUp) {
      c.close();
    }
    first.close();
  }

  /**
   * connguard registers its MBean, and so starts the platform MBean server (~1 MB of heap), on a
   * thread of its own just after the first connection: wait for it (bounded), or that megabyte
   * would be counted against the connections opened next. Every arm starts the MBean server here
   * too, so the baseline holds it in each.
   */
  private static void awaitAgentStart() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    if (System.getProperty("connguard.installed") == null) {
      return;
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    try {
      ObjectName stats = new ObjectName("connguard:type=Stats");
      while (!server.isRegistered(stats) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {       // the smallest of a few full GCs: finalizers, soft refs, luck
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
