package connguard.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Long> firstMillis(Backoff backoff, int count) {
    List<Long> waits = new ArrayList<>();
    for (int failures = 1; failures <= count; failures++) {
      waits.add(backoff.millisAfter(failures));
    }
    return waits;
  }

  @Test
  void reconnectingDoublesFrom50MsToOneSecond() {
    assertEquals(Arrays.asList(50L, 100L, 200L, 400L, 800L, 1000L, 1000L), firstMillis(Backoff.RECONNECT, 7));
  }

  @Test
  void reExecutingDoublesFrom50MsTo800Ms() {
    assertEquals(Arrays.asList(50L, 100L, 200L, 400L, 800L, 800L), firstMillis(Backoff.RE_EXECUTE, 6));
  }

  /**
   * Issue 25: the first write after a promotion within one second. A connection waiting for a
   * writable server asks again at most this long after the promotion, plus one connect and one
   * question (20-130 ms on the test machines).
   */
  @Test
  void waitingForAWritableServerAsksAgainAtLeastTwiceASecond() {
    assertEquals(Arrays.asList(100L, 200L, 400L, 500L, 500L), firstMillis(Backoff.WRITABLE_SERVER, 5));
    assertTrue(Backoff.WRITABLE_SERVER.maxMillis() <= 500);
  }

  @Test
  void manyFailuresStayAtTheCapWithoutOverflow() {
    Backoff b = new Backoff(3, 7_000, TimeUnit.MILLISECONDS);      // 3 ms << 12 is past the cap
    assertEquals(TimeUnit.MILLISECONDS.toNanos(6_144), b.nanosAfter(12));
    for (int failures : new int[] {13, 14, 62, 63, 64, 1_000, Integer.MAX_VALUE}) {
      assertEquals(TimeUnit.MILLISECONDS.toNanos(7_000), b.nanosAfter(failures), "after " + failures);
    }
    assertEquals(TimeUnit.MILLISECONDS.toNanos(3), b.nanosAfter(0), "no failure yet: the first wait");
  }

  @Test
  void aScheduleThatCannotWaitIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, TimeUnit.MILLISECONDS));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(20, 10, TimeUnit.MILLISECONDS));
  }
}
