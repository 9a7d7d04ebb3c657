package connguard.examples.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * How the workers pace their units: bursts of {@code burstMillis}, then every worker stops for
 * {@code idleMillis} (the pool's sessions idle past the server's limit), and before one unit in
 * six a short stop of {@code thinkMillis} (longer than the test's PostgreSQL
 * idle_session_timeout, shorter than HikariCP's 500 ms alive-bypass window, so a dead session
 * reaches the app).
 */
public final class UnitPacing {
  private final long burstMillis;
  private final long idleMillis;
  private final long thinkMillis;
  private final long startedNanos;

  public UnitPacing(long burstMillis, long idleMillis, long thinkMillis) {
    this.burstMillis = burstMillis;
    this.idleMillis = idleMillis;
    this.thinkMillis = thinkMillis;
    this.startedNanos = System.nanoTime();
  }

  /** From the jpa.burstMillis, jpa.idleMillis and jpa.thinkMillis system properties (5 s, 2.5 s, 400 ms). */
  public static UnitPacing fromSystemProperties() {
    return new UnitPacing(Long.getLong("jpa.burstMillis", 5000), Long.getLong("jpa.idleMillis", 2500),
        Long.getLong("jpa.thinkMillis", 400));
  }

  /** One worker's loop: its units until {@code endNanos}. */
  public interface Worker {
    void work(int id, long endNanos);
  }

  /** Runs {@code threads} workers, named {@code prefix-N}, for {@code seconds}; waits for them (a minute more at most). */
  public static void runWorkers(int threads, String prefix, long seconds, Worker worker) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread = new Thread(() -> worker.work(id, end), prefix + "-" + t);
      workers.add(thread);
      thread.start();
    }
    for (Thread thread : workers) {
      thread.join(TimeUnit.SECONDS.toMillis(seconds) + 60_000);
    }
  }

  /** Waits as the pacing says before the next unit; false once {@code endNanos} has passed. */
  public boolean beforeUnit(Random random, long endNanos) {
    idleBetweenBursts(endNanos);
    if (random.nextInt(6) == 0) {
      sleep(thinkMillis + random.nextInt(50));
    }
    return System.nanoTime() < endNanos;
  }

  private void idleBetweenBursts(long endNanos) {
    long cycle = burstMillis + idleMillis;
    long inCycle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos) % cycle;
    if (inCycle >= burstMillis) {
      sleep(Math.max(0, Math.min(cycle - inCycle, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()))));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
