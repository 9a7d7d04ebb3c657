package connguard.examples.boot;

import static connguard.examples.Demo.say;

import connguard.examples.Demo;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.dao.TransientDataAccessException;

/**
 * The worker threads: each takes the next job and runs it through {@link JobService}, one
 * transaction per job. A transaction that Spring rolled back with a transient error (a deadlock, a
 * serialization failure, or connguard's 40001 for a transaction whose connection died after it had
 * done work) is run again, at most {@value #ATTEMPTS} times, as Spring services do for deadlocks;
 * anything else fails the job.
 */
final class Workers {
  static final int ATTEMPTS = 3;

  private final JobService service;
  private final FaultWindow window;
  private final Queue<Long> jobs = new ConcurrentLinkedQueue<>();
  /** First failure of each failed job, in the order they happened. */
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  /** Transactions rolled back with a transient error and run again. */
  private final AtomicInteger rolledBack = new AtomicInteger();

  Workers(JobService service, FaultWindow window, int jobCount) {
    this.service = service;
    this.window = window;
    for (long id = 1; id <= jobCount; id++) {
      jobs.add(id);
    }
  }

  /** Starts {@code count} workers; the caller waits for the pool to finish. */
  ExecutorService start(int count) {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    for (int w = 1; w <= count; w++) {
      String name = "worker-" + w;
      pool.execute(() -> work(name));
    }
    return pool;
  }

  List<String> failures() {
    return new ArrayList<>(failures);
  }

  int rolledBackAndRunAgain() {
    return rolledBack.get();
  }

  private void work(String worker) {
    for (Long id; (id = jobs.poll()) != null; ) {
      try {
        processWithRetry(id, worker);
      } catch (RuntimeException e) {
        failures.add(worker + " job " + id + ": " + describe(e));
        say(worker + ": job " + id + " FAILED: " + describe(e));
      } finally {
        window.skip(worker);       // failed before its slow step: the fault must not wait for it
      }
    }
  }

  private void processWithRetry(long id, String worker) {
    for (int attempt = 1; ; attempt++) {
      try {
        service.process(id, worker);
        return;
      } catch (TransientDataAccessException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        rolledBack.incrementAndGet();
        say(worker + ": job " + id + " rolled back (" + describe(e) + "); running it again");
      }
    }
  }

  /** Spring's exception type, then the driver's SQLState and message under it. */
  static String describe(RuntimeException e) {
    return e.getClass().getSimpleName() + ": " + Demo.reason(Demo.sqlCause(e));
  }
}
