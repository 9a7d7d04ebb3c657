package connguard.it.harness;

import java.time.Duration;

/**
 * A point in time that waits poll against. Loops read {@code while (!deadline.expired())} and
 * pause briefly between polls, so every wait in the harness ends.
 */
public final class Deadline {
  private final long endNanos;

  private Deadline(Duration timeout) {
    this.endNanos = System.nanoTime() + timeout.toNanos();
  }

  public static Deadline in(Duration timeout) {
    return new Deadline(timeout);
  }

  public boolean expired() {
    return remainingNanos() <= 0;
  }

  long remainingNanos() {
    return endNanos - System.nanoTime();
  }

  public long remainingMillis() {
    return Math.max(0, remainingNanos() / 1_000_000);
  }

  /** Waits between two polls: at most {@code pollMillis}, never past the deadline. */
  public void pause(long pollMillis) {
    long millis = Math.min(pollMillis, remainingMillis());
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
