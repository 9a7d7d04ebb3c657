package connguard.examples.boot;

import static connguard.examples.Demo.oneLine;
import static connguard.examples.Demo.reason;
import static connguard.examples.Demo.say;

import connguard.examples.Demo;
import connguard.examples.DemoDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot service across a database restart: {@value #WORKERS} workers process
 * {@value #JOBS} jobs through a @Transactional JPA service ({@link JobService}: read the job, ask
 * pricing, insert the result, update the job) on Boot's HikariCP pool, after Flyway migrated the
 * schema. With env {@code JDBC_URL} it runs on your database, and the fault is yours.
 *
 * <p>The fault, as in the other demos: while every worker waits in its first job's call to pricing,
 * holding its transaction and connection, the H2 server is killed and started again. Without
 * connguard the insert that follows fails (H2: 90067) and so does every job that borrows a
 * connection the pool still holds. With {@code -javaagent:connguard.jar=validateIdleAfter=250ms}
 * each held connection is found dead before the insert is sent; since the transaction had already
 * read, the server lost that read with the connection, so connguard refuses to carry on half a
 * transaction: Spring gets 40001, a transient error, and rolls back; the worker runs the job
 * again, now on a healed connection. The pool's idle connections heal as they are borrowed.
 *
 * <p>Before its last line the demo reads its own {@code /actuator/prometheus} and prints the
 * agent's meters there ({@link ActuatorEndpoints}), or that there are none. The last line is
 * {@code RESULT: ...}. Exit 0 only when no job failed and an admin connection
 * sees every job done exactly once (one correct result row per job, no other rows); 1 otherwise; 2
 * when the demo itself could not run.
 */
public final class BootJobsDemo {
  static final int JOBS = 60;
  static final int WORKERS = 3;
  private static final Duration PARK_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(120);

  private final DemoDatabase db;

  private BootJobsDemo(DemoDatabase db) {
    this.db = db;
  }

  public static void main(String[] args) {
    System.exit(Demo.runOnDatabase("connguard demo: a Spring Boot JPA service across a database restart",
        db -> new BootJobsDemo(db).runService()));
  }

  private int runService() {
    Outcome outcome;
    try (ConfigurableApplicationContext app = JobsApplication.start(db.url(), db.user(), db.password())) {
      JobService service = app.getBean(JobService.class);
      service.reset(JOBS);
      FaultWindow window = app.getBean(FaultWindow.class);
      window.maxWait(PARK_TIMEOUT.plus(db.faultTime()));
      say("service: Spring Boot, JPA on Hibernate, HikariCP as Boot sets it up, schema by Flyway; "
          + WORKERS + " workers, " + JOBS + " jobs, one transaction each");
      Workers workers = new Workers(service, window, JOBS);
      runWorkers(workers, window);
      outcome = check(workers);
      // While the service still runs: what its /actuator shows of connguard (or that nothing does).
      ActuatorEndpoints.print(app);
    } catch (IOException | RuntimeException | InterruptedException e) {
      say("RESULT: demo could not run: " + reason(e instanceof RuntimeException r ? Demo.sqlCause(r) : e));
      return 2;
    } catch (SQLException e) {
      say("RESULT: demo could not run: " + reason(e));
      return 2;
    }
    say(outcome.result());
    return outcome.exit();
  }

  private void runWorkers(Workers workers, FaultWindow window) throws IOException, InterruptedException {
    ExecutorService pool = workers.start(WORKERS);
    try {
      // Every worker holds a transaction in its slow call: now the database restarts.
      if (!window.awaitAllParked(PARK_TIMEOUT)) {
        throw new IllegalStateException("workers did not reach their slow step within " + PARK_TIMEOUT);
      }
      db.closeSessionsDuringIdle();
    } finally {
      window.end();
      pool.shutdown();
    }
    if (!pool.awaitTermination(WORKERS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      pool.shutdownNow();
      throw new IllegalStateException("workers did not finish within " + WORKERS_TIMEOUT);
    }
  }

  /** Exactly once: one correct result row per job, every job done, and no other rows. */
  private Outcome check(Workers workers) throws SQLException {
    long rows;
    long correct;
    try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
      rows = Demo.count(st, "select count(*) from demo_boot_results");
      correct = Demo.count(st, "select count(*) from demo_boot_jobs j join demo_boot_results r on r.job_id = j.id"
          + " and r.total = j.amount * 3 and r.worker = j.worker where j.status = 'DONE'");
    }
    String seen = "admin connection sees " + correct + " of " + JOBS + " jobs done correctly, " + rows + " result rows";
    String rolledBack = workers.rolledBackAndRunAgain() + " transactions rolled back with a transient error and run again";
    say("check: " + seen);
    List<String> failed = workers.failures();
    if (failed.isEmpty() && rows == JOBS && correct == JOBS) {
      return new Outcome(0, "RESULT: all " + JOBS + " jobs processed exactly once (" + seen + "; " + rolledBack + ")");
    }
    return new Outcome(1, "RESULT: jobs FAILED: " + failed.size() + " jobs failed, " + (JOBS - correct) + " not done; "
        + rolledBack + "; first failure: " + (failed.isEmpty() ? "none" : oneLine(failed.get(0))));
  }

  /** The demo's exit code and its last line. */
  private record Outcome(int exit, String result) {}
}
