package connguard.log;

/**
 * Work the app need not wait for, on a daemon thread of its own: logging's first line alone loads
 * ~80 ms of locale data (slf4j-simple's date format), the platform MBean server ~140 ms of
 * classes. A JVM that exits meanwhile interrupts the task and waits for it, at most two seconds,
 * so what it was to print is never lost; the task decides what an interrupt means to it.
 */
public final class OffThread {
  private static final long EXIT_WAIT_MILLIS = 2_000;

  private OffThread() {}

  public static void start(String name, Runnable task) {
    final Thread worker = new Thread(task, name);
    worker.setDaemon(true);
    worker.start();
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
        @Override public void run() {
          worker.interrupt();
          try {
            worker.join(EXIT_WAIT_MILLIS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }, name + "-wait"));
    } catch (IllegalStateException exiting) {
      // The JVM is already shutting down: nothing to wait for.
    }
  }
}
