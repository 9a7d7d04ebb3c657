package connguard.it.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.harness.AppJvm;
import connguard.it.harness.Deadline;
import connguard.it.harness.JdbcShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chaos: {@link ChaosWorkload} in a child JVM hammers one database through a {@link FaultProxy}
 * while this JVM breaks its connections every 1-2 s, in shuffled rounds of every kind the
 * {@link ChaosTarget} takes (kill the backends, cut every connection or one mid-message, lose the
 * reply of an insert, refuse new connections, blackhole, slow every chunk, let sessions die idle;
 * on a private server also restart and crash it); the failover runs take failovers only (a
 * PostgreSQL switchover behind the proxy as the VIP, a MariaDB server set read-only). Afterwards
 * the admin connection of whichever server is primary checks what users trust the agent for: no
 * write duplicated, no acknowledged write lost, no transaction half-committed, no backend leaked,
 * no op hung.
 *
 * <p>Short by default (15 s per run, PostgreSQL with the agent with and without HikariCP, one
 * MariaDB run); {@code -Dchaos.full=true -Dchaos.seconds=45} ({@code make chaos}) runs every
 * database with and without agent and pool, on private servers and through failovers. The
 * tables (invariants, then latency by fault: {@link LatencyByFault}) go to stdout and
 * target/chaos-report.txt.
 */
class ChaosIT {
  static final boolean FULL = Boolean.getBoolean("chaos.full");
  static final int SECONDS = Integer.getInteger("chaos.seconds", 15);
  static final int THREADS = Integer.getInteger("chaos.threads", 4);
  static final String AGENT_ARGS = System.getProperty("chaos.agentArgs", "retryWindow=5s");
  private static final List<Map<String, String>> ROWS = new ArrayList<>();
  private static final List<Map<String, String>> LATENCY_ROWS = new ArrayList<>();
  private static final Path OUT = Paths.get("target", "chaos");

  static Stream<String> runs() {
    String only = System.getProperty("chaos.runs");
    if (only != null && !only.isBlank()) {
      return Stream.of(only.split(",")).map(String::trim);   // e.g. "postgres agent nopool"
    }
    if (FULL) {
      return Stream.of("postgres agent nopool", "postgres agent pool", "postgres none nopool",
          "postgres none pool", "mariadb agent nopool", "mariadb agent pool",
          "mariadb none nopool", "mariadb none pool",
          // Restart and crash need a server of our own: seconds to set up, so only in full runs.
          "postgres-private agent nopool", "postgres-private agent pool", "postgres-private none nopool",
          "mariadb-private agent nopool", "mariadb-private agent pool", "mariadb-private none nopool",
          // Failovers only: switchovers of a private PostgreSQL pair behind the proxy as its VIP, a
          // private MariaDB set read-only and writable again.
          "postgres-failover agent nopool", "postgres-failover agent pool", "postgres-failover none nopool",
          "mariadb-failover agent nopool", "mariadb-failover agent pool", "mariadb-failover none nopool");
    }
    // No failover run here: a PostgreSQL pair costs 10 s to set up and tear down, and even 8 s of
    // switchovers took this short run from about 50 to 70 s (CI has PostgresFailoverIT).
    return Stream.of("postgres agent nopool", "postgres agent pool", "mariadb agent nopool");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void noWriteIsLostOrDuplicatedAndNothingLeaksUnderChaos(String spec) throws Exception {
    String[] parts = spec.split(" ");
    boolean agent = parts[1].equals("agent");
    boolean pool = parts[2].equals("pool");
    ChaosTarget target = ChaosTarget.named(parts[0]);
    Map<String, String> row = new LinkedHashMap<>();
    row.put("run", spec);
    try (FaultProxy proxy = FaultProxy.start(target.port())) {
      run(target, proxy, agent, pool, spec.replace(' ', '-'), row);
    } finally {
      target.cleanUp();
    }
  }

  private void run(ChaosTarget target, FaultProxy proxy, boolean agent, boolean pool, String name,
      Map<String, String> row) throws Exception {
    Path dir = OUT.resolve(name);
    Files.createDirectories(dir);
    Path keys = dir.resolve("acknowledged-keys.txt");
    Path latencies = dir.resolve("latencies.txt");
    Path pauseFile = dir.resolve("pause");
    Path checkedFile = dir.resolve("checked");
    for (Path stale : List.of(keys, dir.resolve("stdout.txt"), latencies, pauseFile, checkedFile)) {
      Files.deleteIfExists(stale);
    }
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.log");
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    AppJvm jvm = agent ? AppJvm.withAgent(AGENT_ARGS) : AppJvm.withoutAgent();
    jvm.sysProp("chaos.url", target.appUrl(proxy.port()))
        .sysProp("chaos.db", target.kind())
        .sysProp("chaos.pool", Boolean.toString(pool))
        .sysProp("chaos.ledger", target.ledger)
        .sysProp("chaos.upserts", target.upserts)
        .sysProp("chaos.keys", keys.toAbsolutePath().toString())
        .sysProp("chaos.latencies", latencies.toAbsolutePath().toString())
        .sysProp("chaos.pauseFile", pauseFile.toAbsolutePath().toString())
        .sysProp("chaos.checkedFile", checkedFile.toAbsolutePath().toString())
        .sysProp("chaos.threads", Integer.toString(THREADS))
        .sysProp("chaos.seconds", Integer.toString(SECONDS))
        .sysProp("chaos.seed", Long.toString(seed));
    Process child = jvm.launch(ChaosWorkload.class.getName(), stdout, stderr);
    Map<String, Integer> faults = new LinkedHashMap<>();
    List<LatencyByFault.FaultWindow> windows = new ArrayList<>();
    java.util.ArrayDeque<String> schedule = new java.util.ArrayDeque<>();
    Deadline budget = Deadline.in(Duration.ofSeconds(SECONDS + 60));
    Deadline faulting = Deadline.in(Duration.ofSeconds(SECONDS));
    Random random = new Random(seed);
    long leakedWhileAlive = -1;
    try {
      Deadline start = Deadline.in(Duration.ofSeconds(30));
      for (int i = 0; i < 10_000 && child.isAlive() && !start.expired() && !started(stdout); i++) {
        start.pause(50);
      }
      faulting = Deadline.in(Duration.ofSeconds(SECONDS));
      faulting.pause(500);                  // let the workload warm up
      for (int i = 0; i < 10_000 && child.isAlive() && !faulting.expired(); i++) {
        long faultStart = System.currentTimeMillis();
        if (schedule.isEmpty()) {
          // Rounds of every kind in random order: each kind fires once per round.
          List<String> round = new ArrayList<>(target.faultKinds());
          java.util.Collections.shuffle(round, random);
          schedule.addAll(round);
        }
        if (schedule.isEmpty()) {
          faulting.pause(1000);             // a target whose faults ran out (switchovers: bounded)
          continue;
        }
        String kind = inject(target, proxy, random, pauseFile, schedule.poll());
        windows.add(new LatencyByFault.FaultWindow(kind, faultStart, System.currentTimeMillis()));
        faults.merge(kind, 1, Integer::sum);
        target.afterFault(kind);
        faulting.pause(1000 + random.nextInt(1000));
      }
      for (int i = 0; i < 100_000 && child.isAlive() && !budget.expired()
          && summary(stdout).isEmpty(); i++) {
        budget.pause(50);
      }
      if (!summary(stdout).isEmpty()) {
        leakedWhileAlive = target.awaitNoBackends(Duration.ofSeconds(3));
        Files.writeString(checkedFile, "checked");   // the child may exit now
      }
      child.waitFor(budget.remainingMillis(), TimeUnit.MILLISECONDS);
    } finally {
      proxy.refuse(false);
      proxy.blackhole(false);
      proxy.latency(0);
      Files.deleteIfExists(pauseFile);
      Files.deleteIfExists(checkedFile);
      if (child.isAlive()) {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
    }
    boolean inBudget = !budget.expired() && child.exitValue() == 0;
    Map<String, String> summary = summary(stdout);

    long total = target.admin().count("select count(*) from " + target.ledger);
    long distinct = target.admin().count("select count(distinct k) from " + target.ledger);
    long partial = target.admin().count("select count(*) from (select tx from " + target.ledger
        + " where tx is not null group by tx having count(*) <> 3) p");
    List<String> lost = lostKeys(target, keys);
    long rows = target.admin().count("select (select count(*) from " + target.ledger
        + ") + (select count(*) from " + target.upserts + ")");
    long acked = Files.exists(keys) ? Files.readAllLines(keys).stream().filter(k -> !k.isBlank()).count() : 0;
    long leaked = target.awaitNoBackends(Duration.ofSeconds(15));

    row.put("ops", summary.getOrDefault("ops", "?"));
    row.put("faults", faults.isEmpty() ? "none" : faults.toString().replaceAll("[{} ]", "").replace('=', ':'));
    row.put("errors surfaced", summary.getOrDefault("errors", "?"));
    row.put("retried/reconn/refused/exhausted", summary.getOrDefault("StatementsRetried", "-") + "/"
        + summary.getOrDefault("Reconnects", "-") + "/" + summary.getOrDefault("RetriesRefused", "-")
        + "/" + summary.getOrDefault("RetriesExhausted", "-"));
    // Without a pool: how often a worker had to open a new Connection because its own was closed
    // under it. A pool owns its connections (and evicts on the driver's 08/57P errors): "-".
    row.put("connections lost", summary.getOrDefault("connectionsLost", "?"));
    row.put("acked", summary.getOrDefault("acknowledged", "?"));
    // Writes that failed in the app yet are in the database: the server ran them, the reply was lost.
    row.put("unacked in db", Long.toString(rows - (acked - lost.size())));
    row.put("dup", Long.toString(total - distinct));
    row.put("lost", Integer.toString(lost.size()));
    row.put("partial tx", Long.toString(partial));
    row.put("open after close", Long.toString(leakedWhileAlive));
    row.put("leaked", Long.toString(leaked));
    row.put("hung", summary.getOrDefault("hung", "?"));
    synchronized (ROWS) {
      ROWS.add(row);
      LATENCY_ROWS.addAll(LatencyByFault.rows(row.get("run"), latencies, windows));
    }
    System.out.println("chaos " + row + " seed=" + seed + " log=" + stderr);

    // A read in autocommit and a declared-idempotent upsert are always safe to re-run: with the
    // agent, their errors are acceptable only when a reconnect ran out of retryWindow (the server
    // stayed away), never otherwise.
    long leakedAlive = leakedWhileAlive;
    long readErrors = errorsOf(summary.getOrDefault("errors", ""), "read", "upsert");
    boolean readsExplained = !agent || readErrors == 0
        || !"0".equals(summary.getOrDefault("RetriesExhausted", "0"));
    row.put("reads+upserts failed", Long.toString(readErrors));
    assertAll(
        () -> assertTrue(readsExplained, readErrors + " reads or idempotent upserts failed with the"
            + " agent and no retry was exhausted; see 'chaos: error' in " + stderr),
        () -> assertTrue(inBudget, "the child finished within " + (SECONDS + 60) + " s (exit "
            + (child.isAlive() ? "none" : child.exitValue()) + "); stderr: " + stderr),
        () -> assertNotNull(summary.get("ops"), "no CHAOS line in " + stdout),
        () -> assertEquals(0, total - distinct, "duplicated keys: " + duplicates(target)),
        () -> assertEquals(List.of(), lost, "acknowledged writes missing from the database"),
        () -> assertEquals(0, partial, "transactions with neither 0 nor 3 rows"),
        () -> assertEquals(0, leakedAlive, "backends still open 3 s after the app closed every"
            + " Connection and its pool, its JVM still running"),
        () -> assertEquals(0, leaked, "backends of the app left after it exited"),
        () -> assertTrue(!agent || pool || "0".equals(summary.get("connectionsLost")), "with the agent the"
            + " app's own Connection stays usable after every error: connections lost = "
            + summary.get("connectionsLost") + "; see 'chaos: error' in " + stderr),
        () -> assertEquals("0", summary.getOrDefault("hung", "0"), "ops slower than "
            + ChaosWorkload.HUNG_MILLIS + " ms"));
  }

  /** Failed ops of these kinds in {@code read:08:3,insert:08:1}. */
  static long errorsOf(String errors, String... kinds) {
    long n = 0;
    for (String entry : errors.split(",")) {
      String[] parts = entry.split(":");
      if (parts.length == 3 && List.of(kinds).contains(parts[0])) {
        n += Long.parseLong(parts[2]);
      }
    }
    return n;
  }

  /** One fault of this kind; returns the kind. */
  private static String inject(ChaosTarget target, FaultProxy proxy, Random random, Path pauseFile,
      String kind) throws IOException {
    switch (kind) {
      case "kill":
        target.kill();
        break;
      case "cut":
        proxy.cutAll();
        break;
      case "replyLost":
        proxy.cutAfterRequest("insert into " + target.ledger + " ");
        break;
      case "replyLostUpsert":
        proxy.cutAfterRequest("into " + target.upserts + " ");
        break;
      case "refuse":
        proxy.refuse(true);
        proxy.cutAll();
        Deadline.in(Duration.ofMillis(500)).pause(500);
        proxy.refuse(false);
        break;
      case "blackhole":
        proxy.blackhole(true);
        Deadline.in(Duration.ofMillis(300)).pause(300);
        proxy.blackhole(false);
        break;
      case "cutBytes":
        // Mid-message: a request cut short never runs; a reply cut short may follow a commit.
        proxy.cutOneAfterBytes(random.nextBoolean() ? FaultProxy.Direction.TO_SERVER
            : FaultProxy.Direction.TO_CLIENT, random.nextInt(4096));
        break;
      case "latency":
        proxy.latency(50 + random.nextInt(150));
        Deadline.in(Duration.ofMillis(1000)).pause(1000);
        proxy.latency(0);
        break;
      case "idle": {
        // The app stops using its connections until the server's idle timeout has ended them.
        long idleMillis = TimeUnit.SECONDS.toMillis(target.idleTimeoutSeconds()) + 1500;
        Files.writeString(pauseFile, "idle");
        Deadline.in(Duration.ofMillis(idleMillis)).pause(idleMillis);
        Files.deleteIfExists(pauseFile);
        break;
      }
      default:
        target.fault(kind, proxy);
    }
    return kind;
  }

  private static boolean started(Path stdout) throws IOException {
    return Files.exists(stdout) && Files.readAllLines(stdout, StandardCharsets.UTF_8).contains("STARTED");
  }

  /** The CHAOS line's key=value pairs; empty if there is none. */
  private static Map<String, String> summary(Path stdout) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.exists(stdout)) {
      return values;
    }
    for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
      if (line.startsWith("CHAOS ")) {
        for (String pair : line.substring(6).split(" ")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
        }
      }
    }
    return values;
  }

  private static List<String> lostKeys(ChaosTarget target, Path keys) throws Exception {
    Set<String> present = new HashSet<>();
    synchronized (target.admin()) {
      try (Statement s = target.admin().open().createStatement();
          ResultSet rs = s.executeQuery("select k from " + target.ledger + " union all select k from "
              + target.upserts)) {
        while (rs.next()) {
          present.add(rs.getString(1));
        }
      }
    }
    List<String> lost = new ArrayList<>();
    if (Files.exists(keys)) {
      for (String key : Files.readAllLines(keys, StandardCharsets.UTF_8)) {
        if (!key.isBlank() && !present.contains(key)) {
          lost.add(key);
        }
      }
    }
    return lost;
  }

  private static String duplicates(ChaosTarget target) {
    synchronized (target.admin()) {
      try (Statement s = target.admin().open().createStatement();
          ResultSet rs = s.executeQuery("select k, count(*) from " + target.ledger
              + " group by k having count(*) > 1 order by k")) {
        return JdbcShell.rows(rs);
      } catch (SQLException e) {
        return "(cannot list them: " + e.getMessage() + ")";
      }
    }
  }

  @AfterAll
  static void report() throws IOException {
    if (ROWS.isEmpty()) {
      return;
    }
    StringBuilder table = new StringBuilder();
    table.append("connguard chaos, ").append(LocalDateTime.now().withNano(0)).append(", ")
        .append(SECONDS).append(" s per run, ").append(THREADS).append(" threads, ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, agent options ")
        .append(AGENT_ARGS).append("\n\n");
    appendTable(table, ROWS);
    table.append("\nLatency of successful ops by the fault they met, p50/p99/max ms (an op overlapping a"
        + " fault's window, or starting within " + LatencyByFault.GRACE_MILLIS + " ms after it; else quiet):\n\n");
    appendTable(table, LatencyByFault.turned(LATENCY_ROWS));
    System.out.println(table);
    Files.createDirectories(Paths.get("target"));
    Files.writeString(Paths.get("target", "chaos-report.txt"), table, StandardCharsets.UTF_8);
  }

  private static void appendTable(StringBuilder table, List<Map<String, String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    StringJoiner header = new StringJoiner(" | ", "| ", " |\n");
    StringJoiner rule = new StringJoiner("|", "|", "|\n");
    for (String column : rows.get(0).keySet()) {
      header.add(column);
      rule.add("---");
    }
    table.append(header).append(rule);
    for (Map<String, String> row : rows) {
      StringJoiner line = new StringJoiner(" | ", "| ", " |\n");
      row.values().forEach(line::add);
      table.append(line);
    }
  }

}
