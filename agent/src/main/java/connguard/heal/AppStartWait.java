package connguard.heal;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How long the agent's own start-up work (the MBean, the app's meters, the start-up line: 100-200
 * ms of CPU, JMX's classes and the logger's locale data) waits after the first guarded connection:
 * until the app looks past its own start-up. An app that connects early in its start (a Spring
 * Boot service migrating with Flyway, then building Hibernate) keeps loading classes for seconds
 * after its first connection, and work on the other core then slows its start on a small machine.
 *
 * <p>The rule: at least {@link #MIN_MILLIS}; then as soon as the JVM loaded fewer than
 * {@link #QUIET_CLASSES} classes in the last {@link #WINDOW_MILLIS} (a starting Spring Boot app
 * loads ~2,000 a second, a running one next to none); never more than {@link #MAX_MILLIS}. At
 * once where an MBean server runs already (one more bean costs that app nothing and it watches
 * JMX) and when the JVM exits.
 */
final class AppStartWait {
  static final long MIN_MILLIS = 1_000;
  static final long MAX_MILLIS = 5_000;
  static final long WINDOW_MILLIS = 250;
  static final int QUIET_CLASSES = 20;
  static final long STEP_MILLIS = 50;

  /** How the wait reads time and sleeps: a test drives both. */
  interface Clock {
    long millis();

    void sleep(long millis) throws InterruptedException;
  }

  static final Clock SYSTEM = new Clock() {
    @Override public long millis() {
      return System.nanoTime() / 1_000_000;
    }

    @Override public void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }
  };

  private AppStartWait() {}

  /**
   * Returns when the work may run: false then, true if interrupted (the JVM is exiting: do the
   * work that must not be lost, at once). Classes are counted from one window before the
   * minimum on, so the earliest answer is at the minimum.
   *
   * @param loadedClasses how many classes the JVM has loaded so far: the agent's class filter
   *     counts them as the JVM hands them over (java.management would cost 20-30 ms of class
   *     loading on this thread, in the middle of the app's start)
   */
  static boolean await(Clock clock, LongSupplier loadedClasses, BooleanSupplier jmxRunning) {
    long start = clock.millis();
    long windowStart = -1;
    long classesAtWindowStart = 0;
    try {
      while (!jmxRunning.getAsBoolean()) {
        long now = clock.millis();
        long waited = now - start;
        if (waited >= MAX_MILLIS) {
          return false;
        }
        if (windowStart < 0) {
          if (waited >= MIN_MILLIS - WINDOW_MILLIS) {
            windowStart = now;
            classesAtWindowStart = loadedClasses.getAsLong();
          }
        } else if (now - windowStart >= WINDOW_MILLIS) {
          long classes = loadedClasses.getAsLong();
          boolean quiet = classes - classesAtWindowStart < QUIET_CLASSES;
          windowStart = now;
          classesAtWindowStart = classes;
          if (quiet) {
            return false;
          }
        }
        clock.sleep(STEP_MILLIS);
      }
      return false;
    } catch (InterruptedException exiting) {
      return true;
    }
  }
}
