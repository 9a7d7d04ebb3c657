package connguard.examples.boot;

import connguard.examples.Demo;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * When the fault happens: every worker's first job waits in its slow step, inside its transaction,
 * until the demo has restarted the database (or you closed the sessions of your own database).
 */
@Component
class FaultWindow {
  private final CountDownLatch parked = new CountDownLatch(BootJobsDemo.WORKERS);
  private final CountDownLatch over = new CountDownLatch(1);
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private volatile Duration maxWait = Duration.ofMinutes(2);

  /** How long a worker waits for the fault at most: the database's fault time and more. */
  void maxWait(Duration wait) {
    maxWait = wait;
  }

  /** A worker's first call waits here until the fault is over; later calls pass. */
  void slowStep(String worker) {
    if (!done.add(worker)) {
      return;
    }
    Demo.say(worker + ": slow call to pricing, holding its transaction and connection");
    parked.countDown();
    try {
      if (!over.await(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(worker + ": the fault did not end within " + maxWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(worker + " interrupted", e);
    }
  }

  /** A worker whose first job failed before its slow step: the fault must not wait for it. */
  void skip(String worker) {
    if (done.add(worker)) {
      parked.countDown();
    }
  }

  boolean awaitAllParked(Duration timeout) throws InterruptedException {
    return parked.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Lets every waiting worker go on: also when the fault itself failed. */
  void end() {
    over.countDown();
  }
}
