package connguard.examples;

import static connguard.examples.Demo.oneLine;
import static connguard.examples.Demo.reason;
import static connguard.examples.Demo.say;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small worker service on a HikariCP pool: {@value #WORKERS} workers take batches of
 * {@value #BATCH} jobs; for each batch a worker borrows one connection, and for each job it reads
 * the job and upserts its result (H2's {@code MERGE INTO ... KEY(id)}, PostgreSQL's {@code ON CONFLICT},
 * MySQL's {@code ON DUPLICATE KEY}: safe to run twice). With env {@code JDBC_URL} it runs on your
 * database, and the fault is yours (see {@link ExternalDatabase}).
 *
 * <p>The fault: while every worker holds its connection in the middle of its first batch (waiting
 * on a slow step, as a call to another service would), the database restarts. HikariCP checks a
 * connection when it is borrowed, not while the app holds it, so without connguard the next
 * statement of every batch in flight fails (H2: 90067), and the connections go back to the pool
 * broken. With {@code -javaagent:connguard.jar=validateIdleAfter=250ms} each held connection is
 * found dead before the next statement is sent and replaced underneath the pool.
 *
 * <p>The last line is {@code RESULT: ...}. Exit 0 only when an admin connection sees every job
 * processed exactly once (one correct result row per job, no other rows); 1 when jobs are missing
 * or wrong; 2 when the demo itself could not run.
 */
public final class HikariWorkerDemo {
  static final int JOBS = 60;
  static final int WORKERS = 3;
  static final int BATCH = 10;
  // Jobs of its first batch a worker processes before the slow step during which the database restarts.
  private static final int JOBS_BEFORE_SLOW_STEP = BATCH / 2;
  private static final Duration PARK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(120);

  private final DemoDatabase db;
  private final CountDownLatch parked = new CountDownLatch(WORKERS);
  private final CountDownLatch restarted = new CountDownLatch(1);
  /** First failure of each failed batch, in the order they happened. */
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  private HikariWorkerDemo(DemoDatabase db) {
    this.db = db;
  }

  public static void main(String[] args) {
    System.exit(Demo.runOnDatabase("connguard demo: a worker service on a HikariCP pool, across a database restart",
        db -> new HikariWorkerDemo(db).runService()));
  }

  private int runService() {
    try {
      createJobs();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(db.url());
      if (db.user() != null) {
        config.setUsername(db.user());
        config.setPassword(db.password());
      }
      config.setPoolName("workers");
      config.setMaximumPoolSize(WORKERS);
      config.setMinimumIdle(WORKERS);
      config.setConnectionTimeout(5_000);
      try (HikariDataSource pool = new HikariDataSource(config)) {
        say("service: HikariCP pool of " + WORKERS + ", " + WORKERS + " workers, " + JOBS
            + " jobs in batches of " + BATCH);
        runWorkers(pool);
      }
      return check();
    } catch (SQLException | IOException | RuntimeException | InterruptedException e) {
      say("RESULT: demo could not run: " + reason(e));
      return 2;
    }
  }

  private void createJobs() throws SQLException {
    try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
      st.execute("drop table if exists demo_results");
      st.execute("drop table if exists demo_jobs");
      st.execute("create table demo_jobs(id int primary key, amount int)");
      st.execute("create table demo_results(job_id int primary key, total int, worker varchar(20))");
      try (PreparedStatement insert = admin.prepareStatement("insert into demo_jobs values (?, ?)")) {
        for (int id = 1; id <= JOBS; id++) {
          insert.setInt(1, id);
          insert.setInt(2, amountFor(id));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }

  private void runWorkers(HikariDataSource pool) throws IOException, InterruptedException {
    Queue<int[]> batches = new ConcurrentLinkedQueue<>();
    for (int first = 1; first <= JOBS; first += BATCH) {
      batches.add(new int[] {first, Math.min(JOBS, first + BATCH - 1)});
    }
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      for (int w = 1; w <= WORKERS; w++) {
        String name = "worker-" + w;
        workers.execute(() -> work(name, pool, batches));
      }
      // Every worker holds a connection in the middle of a batch: now the database restarts.
      if (!parked.await(PARK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("workers did not reach their slow step within " + PARK_TIMEOUT);
      }
      db.closeSessionsDuringIdle();
    } finally {
      restarted.countDown();
      workers.shutdown();
    }
    if (!workers.awaitTermination(WORKERS_TIMEOUT.plus(db.faultTime()).toMillis(), TimeUnit.MILLISECONDS)) {
      workers.shutdownNow();
      throw new IllegalStateException("workers did not finish within " + WORKERS_TIMEOUT);
    }
  }

  /** Takes batches until none is left. A failed batch is logged and skipped, as services do. */
  private void work(String worker, HikariDataSource pool, Queue<int[]> batches) {
    AtomicBoolean slowStepDone = new AtomicBoolean();
    boolean first = true;
    for (int[] batch; (batch = batches.poll()) != null; first = false) {
      String jobs = "jobs " + batch[0] + "-" + batch[1];
      try (Connection conn = pool.getConnection()) {
        processBatch(worker, conn, batch, first ? slowStepDone : null);
        say(worker + ": " + jobs + " done");
      } catch (SQLException e) {
        failures.add(worker + " " + jobs + ": " + reason(e));
        say(worker + ": " + jobs + " FAILED: " + reason(e));
      } finally {
        if (first && !slowStepDone.get()) {
          parked.countDown();      // failed before its slow step: the restart must not wait for it
        }
      }
    }
  }

  /** @param slowStepDone set when this batch has a slow step (the worker's first), else null */
  private void processBatch(String worker, Connection conn, int[] batch, AtomicBoolean slowStepDone)
      throws SQLException {
    try (PreparedStatement read = conn.prepareStatement("select amount from demo_jobs where id = ?");
        PreparedStatement upsert =
            conn.prepareStatement(db.upsert("demo_results", "job_id", "total", "worker"))) {
      for (int id = batch[0]; id <= batch[1]; id++) {
        if (slowStepDone != null && id == batch[0] + JOBS_BEFORE_SLOW_STEP) {
          slowStepDone.set(true);
          slowStep(worker);
        }
        read.setInt(1, id);
        int amount;
        try (ResultSet rs = read.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("job " + id + " is missing", "02000");
          }
          amount = rs.getInt(1);
        }
        upsert.setInt(1, id);
        upsert.setInt(2, totalFor(amount));
        upsert.setString(3, worker);
        upsert.executeUpdate();
      }
    }
  }

  /** A call to another service, say: the worker keeps its connection meanwhile. */
  private void slowStep(String worker) {
    say(worker + ": slow step, holding its connection");
    parked.countDown();
    try {
      Duration wait = PARK_TIMEOUT.plus(db.faultTime());
      if (!restarted.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(worker + ": no restart within " + wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(worker + " interrupted", e);
    }
  }

  /** Exactly once: one result row per job, each with the right total, and no other rows. */
  private int check() throws SQLException {
    long rows;
    long correct;
    try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
      rows = Demo.count(st, "select count(*) from demo_results");
      correct = Demo.count(st, "select count(*) from demo_jobs j join demo_results r"
          + " on r.job_id = j.id and r.total = j.amount * 3");
    }
    String seen = "admin connection sees " + correct + " of " + JOBS + " jobs processed correctly, "
        + rows + " result rows";
    say("check: " + seen);
    if (failures.isEmpty() && rows == JOBS && correct == JOBS) {
      say("RESULT: all " + JOBS + " jobs processed exactly once (" + seen + ")");
      return 0;
    }
    List<String> failed = new ArrayList<>(failures);
    say("RESULT: workers FAILED: " + failed.size() + " batches failed, " + (JOBS - correct)
        + " jobs missing; first: " + (failed.isEmpty() ? "none" : oneLine(failed.get(0))));
    return 1;
  }


  static int amountFor(int id) {
    return id * 10;
  }

  static int totalFor(int amount) {
    return amount * 3;
  }
}
