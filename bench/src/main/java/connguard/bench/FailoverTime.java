package connguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Time from a failover's promotion to the app's first acknowledged write, per arm, over CYCLES
 * failovers of servers of the benchmark's own ({@link ScratchServer}). Every arm's app
 * ({@code probe.FailoverWriter}: one insert every 10 ms) runs at once, in a child JVM of its own,
 * so each failover is measured in every arm; the arm named {@code none} retries by hand (the
 * floor), the others rely on their agent.
 *
 * <ul>
 *   <li>PostgreSQL: a primary and a streaming standby, the app on the multi-host URL
 *       {@code jdbc:postgresql://A,B/bench?targetServerType=primary}. The primary stops
 *       (pg_ctl stop -m fast); the clock starts when {@code pg_ctl promote -w} on the standby
 *       returns; it stops at the app's first acknowledged write after the stop, which must be on
 *       the promoted server (checked there). Then a standby of the new primary is made on the
 *       old one's port, so the URL stays the same for the next cycle.
 *   <li>MariaDB: one server set {@code read_only} for a second under an app user without SUPER
 *       (its writes get 1290, as on a demoted primary); the clock starts when
 *       {@code set global read_only = 0} returns.
 * </ul>
 *
 * A first write acknowledged a little before the clock started (the server took writes before
 * the tool returned) counts as negative. Prints a table and writes failover.md.
 *
 * <pre>
 * java -cp benchmarks.jar connguard.bench.FailoverTime OUT_DIR CYCLES NAME=JVM_OPTIONS...
 * </pre>
 */
public final class FailoverTime {
  static final long READ_ONLY_MILLIS = 1_000;
  static final long FIRST_WRITE_TIMEOUT_SECONDS = 40;

  private FailoverTime() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length < 3) {
      System.err.println("usage: FailoverTime OUT_DIR CYCLES NAME=JVM_OPTIONS...");
      System.exit(2);
    }
    Path out = Paths.get(argv[0]);
    Files.createDirectories(out);
    int cycles = Integer.parseInt(argv[1]);
    List<Arm> arms = Arm.parseAll(Arrays.copyOfRange(argv, 2, argv.length));
    List<List<String>> rows = new ArrayList<>();
    rows.addAll(postgres(out, cycles, arms));
    rows.addAll(mariadb(out, cycles, arms));
    String table = ArmComparison.markdown(List.of("server", "clock starts", "arm", "cycles",
        "median ms", "p90 ms", "max ms", "writes failed"), rows)
        + String.format(Locale.ROOT, "%nFrom the clock's start to the app's first acknowledged write (one insert"
            + " every 10 ms); every arm's app ran through the same failovers. none: the app's own retry (close,"
            + " reconnect, write again every 10 ms).%n");
    System.out.println(table);
    Files.writeString(out.resolve("failover.md"), table);
  }

  private static List<List<String>> postgres(Path out, int cycles, List<Arm> arms) throws Exception {
    String why = ScratchServer.Postgres.unavailable();
    if (why != null) {
      return List.of(skipped("postgres", why));
    }
    int portA = ScratchServer.freePort();
    int portB = ScratchServer.freePort();
    ScratchServer.Postgres primary = ScratchServer.Postgres.primary(portA);
    ScratchServer.Postgres standby = null;
    List<Writer> writers = new ArrayList<>();
    try {
      primary.exec("create table ledger (arm varchar(20), k bigint, primary key (arm, k))");
      standby = primary.standby(portB);
      String url = "jdbc:postgresql://127.0.0.1:" + portA + ",127.0.0.1:" + portB + "/bench?user=postgres"
          + "&targetServerType=primary&connectTimeout=2&loginTimeout=5&socketTimeout=10";
      writers = Writer.startAll(out, "postgres", url, arms, cycles);
      for (int cycle = 0; cycle < cycles; cycle++) {
        Writer.awaitWriting(writers);
        primary.stop();
        long stoppedAt = System.currentTimeMillis();    // no write is acknowledged on it after this
        standby.promote();
        long clock = System.currentTimeMillis();
        for (Writer w : writers) {
          long[] ack = w.firstAckAfter(stoppedAt, FIRST_WRITE_TIMEOUT_SECONDS);
          w.millis.add(ack[0] - clock);
          requireRow(standby, w.arm.name, ack[1]);
        }
        ScratchServer.Postgres old = primary;
        primary = standby;
        standby = null;
        old.close();
        standby = primary.standby(old.port);       // the URL's other host again
      }
    } finally {
      Writer.stopAll(writers);
      if (standby != null) {
        standby.close();
      }
      primary.close();
    }
    return rows("postgres", "pg_ctl promote returned", writers);
  }

  private static List<List<String>> mariadb(Path out, int cycles, List<Arm> arms) throws Exception {
    String why = ScratchServer.MariaDb.unavailable();
    if (why != null) {
      return List.of(skipped("mariadb", why));
    }
    List<Writer> writers = new ArrayList<>();
    try (ScratchServer.MariaDb db = ScratchServer.MariaDb.start(ScratchServer.freePort())) {
      db.exec("create table ledger (arm varchar(20), k bigint, primary key (arm, k))");
      // No SUPER (nor READ ONLY ADMIN): read_only refuses its writes.
      db.exec("create user 'app'@'127.0.0.1'");
      db.exec("grant all privileges on bench.* to 'app'@'127.0.0.1'");
      writers = Writer.startAll(out, "mariadb", db.url("bench", "app") + "&socketTimeout=10000", arms, cycles);
      for (int cycle = 0; cycle < cycles; cycle++) {
        Writer.awaitWriting(writers);
        long readOnlyAt = System.currentTimeMillis();
        db.exec("set global read_only = 1");
        Thread.sleep(READ_ONLY_MILLIS);
        db.exec("set global read_only = 0");
        long clock = System.currentTimeMillis();
        for (Writer w : writers) {
          long[] ack = w.firstAckAfter(readOnlyAt + READ_ONLY_MILLIS / 2, FIRST_WRITE_TIMEOUT_SECONDS);
          w.millis.add(ack[0] - clock);
          requireRow(db, w.arm.name, ack[1]);
        }
      }
    } finally {
      Writer.stopAll(writers);
    }
    return rows("mariadb", "read_only = 0 returned", writers);
  }

  /** The write the app saw acknowledged is on the server the clock was about. */
  private static void requireRow(ScratchServer server, String arm, long k) throws SQLException {
    try (Connection c = server.admin();
         PreparedStatement s = c.prepareStatement("select count(*) from ledger where arm = ? and k = ?")) {
      s.setString(1, arm);
      s.setLong(2, k);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != 1) {
          throw new IllegalStateException(arm + "'s acknowledged write " + k + " is not on the server on port "
              + server.port + " (" + rs.getLong(1) + " rows)");
        }
      }
    }
  }

  private static List<List<String>> rows(String server, String clock, List<Writer> writers) {
    List<List<String>> rows = new ArrayList<>();
    for (Writer w : writers) {
      List<Long> sorted = new ArrayList<>(w.millis);
      sorted.sort(null);
      rows.add(List.of(server, clock, w.arm.name, Integer.toString(sorted.size()),
          Long.toString(percentile(sorted, 50)), Long.toString(percentile(sorted, 90)),
          Long.toString(sorted.get(sorted.size() - 1)), Long.toString(w.failures())));
    }
    return rows;
  }

  private static List<String> skipped(String server, String why) {
    List<String> row = new ArrayList<>(List.of(server, "skipped: " + why));
    while (row.size() < 8) {
      row.add("-");
    }
    System.err.println("failover " + server + " skipped: " + why);
    return row;
  }

  /** Nearest rank: the smallest value with at least p % of the values at or below it. */
  static long percentile(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** One arm's app in its child JVM, and the acknowledgements it printed. */
  static final class Writer {
    final Arm arm;
    final List<Long> millis = new ArrayList<>();
    private final Process child;
    private final List<long[]> acks = new ArrayList<>();     // {epoch ms, k}
    private int failures;

    private Writer(Arm arm, Process child) {
      this.arm = arm;
      this.child = child;
      Thread reader = new Thread(this::read, "failover-" + arm.name);
      reader.setDaemon(true);
      reader.start();
    }

    static List<Writer> startAll(Path out, String server, String url, List<Arm> arms, int cycles) throws IOException {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      String classPath = Paths.get(FailoverTime.class.getProtectionDomain().getCodeSource().getLocation().getPath())
          .toString();
      long maxSeconds = 120 + 30L * cycles;     // the child ends by itself even if we die
      List<Writer> writers = new ArrayList<>();
      for (Arm arm : arms) {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        command.addAll(arm.jvmArgs);
        command.addAll(List.of("-cp", classPath, "probe.FailoverWriter", url, arm.name,
            arm.name.equals("none") ? "byHand" : "plain", Long.toString(maxSeconds)));
        Process child = new ProcessBuilder(command)
            .redirectError(out.resolve("failover-" + server + "-" + arm.name + ".stderr.log").toFile()).start();
        writers.add(new Writer(arm, child));
      }
      return writers;
    }

    /** Before a failover: every app has written within the last second (at most 60 s to start). */
    static void awaitWriting(List<Writer> writers) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (Writer w : writers) {
        while (!w.wroteSince(System.currentTimeMillis() - 1_000)) {
          if (System.nanoTime() > end || !w.child.isAlive()) {
            throw new IllegalStateException(w.arm.name + "'s app is not writing (alive: " + w.child.isAlive() + ")");
          }
          Thread.sleep(20);
        }
      }
      Thread.sleep(500);
    }

    static void stopAll(List<Writer> writers) throws InterruptedException {
      for (Writer w : writers) {
        try {
          w.child.getOutputStream().close();
        } catch (IOException gone) {
          // Ended already.
        }
      }
      for (Writer w : writers) {
        if (!w.child.waitFor(10, TimeUnit.SECONDS)) {
          w.child.destroyForcibly();
        }
      }
    }

    /** {epoch ms, k} of the first write acknowledged after {@code sinceMillis}. */
    long[] firstAckAfter(long sinceMillis, long timeoutSeconds) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      while (System.nanoTime() < end) {
        synchronized (acks) {
          long[] first = null;
          for (int i = acks.size() - 1; i >= 0 && acks.get(i)[0] > sinceMillis; i--) {
            first = acks.get(i);          // in the order written: walk back from the newest
          }
          if (first != null) {
            return first;
          }
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException(arm.name + "'s app wrote nothing within " + timeoutSeconds + " s of the failover");
    }

    private boolean wroteSince(long millis) {
      synchronized (acks) {
        return !acks.isEmpty() && acks.get(acks.size() - 1)[0] > millis;
      }
    }

    synchronized int failures() {
      return failures;
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f[0].equals("ok") && f.length == 3) {
            synchronized (acks) {
              acks.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
          } else if (f[0].equals("err")) {
            synchronized (this) {
              failures++;
            }
          }
        }
      } catch (IOException | NumberFormatException ended) {
        // The child is gone; awaitWriting or firstAckAfter says so.
      }
    }
  }
}
