package connguard.heal;

import java.util.concurrent.TimeUnit;

/**
 * How long to wait between tries to reach a server that is not there yet (restarting, failing
 * over, still read-only): {@code first}, doubling, never more than {@code max}. One schedule per
 * use, each named where it is used; the doubling and the cap are written once, here.
 */
final class Backoff {
  /** Reconnecting within retryWindow: quick for a blip, at most one try a second for an outage. */
  static final Backoff RECONNECT = new Backoff(50, 1_000, TimeUnit.MILLISECONDS);
  /** Re-executing a statement whose fresh connection died too. */
  static final Backoff RE_EXECUTE = new Backoff(50, 800, TimeUnit.MILLISECONDS);
  /**
   * Waiting for a writable server behind the app's URL after a read-only refusal. The cap bounds
   * how late the statement runs after a promotion (the wait, plus one connect and one question):
   * issue 25's target is one second, so the cap is half of it; a waiting connection connects at
   * most twice a second meanwhile.
   */
  static final Backoff WRITABLE_SERVER = new Backoff(100, 500, TimeUnit.MILLISECONDS);

  private final long firstNanos;
  private final long maxNanos;

  Backoff(long first, long max, TimeUnit unit) {
    if (first <= 0 || max < first) {
      throw new IllegalArgumentException("backoff needs 0 < first <= max: " + first + ", " + max);
    }
    this.firstNanos = unit.toNanos(first);
    this.maxNanos = unit.toNanos(max);
  }

  /** The wait after the {@code failures}-th failed try in a row (1: the first wait). */
  long nanosAfter(int failures) {
    int doublings = Math.max(0, failures - 1);
    if (doublings >= 62 || firstNanos > (maxNanos >> doublings)) {
      return maxNanos;
    }
    return Math.min(maxNanos, firstNanos << doublings);
  }

  long millisAfter(int failures) {
    return TimeUnit.NANOSECONDS.toMillis(nanosAfter(failures));
  }

  long maxMillis() {
    return TimeUnit.NANOSECONDS.toMillis(maxNanos);
  }
}
