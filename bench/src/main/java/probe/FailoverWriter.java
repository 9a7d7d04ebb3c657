package probe;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The app of connguard.bench.FailoverTime, in a child JVM: one connection, one insert every
 * {@value #EVERY_MILLIS} ms into {@code ledger (arm, k)}, {@code ok EPOCH_MILLIS K} on stdout for
 * each acknowledged one and {@code err EPOCH_MILLIS SQLSTATE} for each failure, until stdin ends
 * or {@code maxSeconds} have passed.
 *
 * <p>{@code byHand}: the app's own retry, the floor a hand-written one cannot beat (as in
 * MassRecoveryBenchmarks): after a failure it closes the connection and, every
 * {@value #EVERY_MILLIS} ms, opens another and writes again until that succeeds. Without it (the
 * agent's arm) the app only logs a failure and goes on writing on the same connection, as a batch
 * job does; what heals it is the agent.
 *
 * <pre>java [-javaagent:...] -cp benchmarks.jar probe.FailoverWriter URL ARM byHand|plain MAX_SECONDS</pre>
 */
public final class FailoverWriter {
  static final long EVERY_MILLIS = 10;

  private FailoverWriter() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String arm = args[1];
    boolean byHand = args[2].equals("byHand");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
    Thread stdinWatcher = new Thread(() -> {
      drain(System.in);
      System.exit(0);               // the bench closed our stdin: done
    }, "stdin-watcher");
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();
    Connection c = null;
    for (long k = 1; System.nanoTime() < end; k++) {
      try {
        if (c == null) {
          c = DriverManager.getConnection(url);
        }
        try (PreparedStatement insert = c.prepareStatement("insert into ledger (arm, k) values (?, ?)")) {
          insert.setString(1, arm);
          insert.setLong(2, k);
          insert.executeUpdate();
        }
        System.out.println("ok " + System.currentTimeMillis() + " " + k);
      } catch (SQLException e) {
        System.out.println("err " + System.currentTimeMillis() + " " + e.getSQLState());
        if (byHand && c != null) {
          closeQuietly(c);
          c = null;
        }
      }
      Thread.sleep(EVERY_MILLIS);
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException alreadyBroken) {
      // Nothing to keep.
    }
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // Nothing is sent; only the end counts.
      }
    } catch (IOException closed) {
      // Ends like EOF.
    }
  }
}
