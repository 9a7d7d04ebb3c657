package connguard.examples.boot;

import org.springframework.stereotype.Component;

/**
 * Another service the job asks, as a remote call would be. For each worker's first job it is slow:
 * the worker waits in {@link FaultWindow} and keeps its transaction and its connection meanwhile.
 */
@Component
class Pricing {
  private final FaultWindow window;

  Pricing(FaultWindow window) {
    this.window = window;
  }

  int totalFor(Job job, String worker) {
    window.slowStep(worker);
    return totalOf(job.amount());
  }

  static int amountFor(long id) {
    return (int) id * 10;
  }

  static int totalOf(int amount) {
    return amount * 3;
  }
}
