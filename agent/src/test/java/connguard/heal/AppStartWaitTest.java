package connguard.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** When the agent's own start-up work may run, on a clock the test drives: each sleep moves it on. */
class AppStartWaitTest {
  /** A fake clock; {@code classesAt} says how many classes the JVM has loaded at a given millisecond. */
  private static final class Fake implements AppStartWait.Clock {
    long now = 10_000;
    final long start = now;
    int sleeps;
    int interruptAfterSleeps = -1;

    @Override public long millis() {
      return now;
    }

    @Override public void sleep(long millis) throws InterruptedException {
      if (++sleeps == interruptAfterSleeps) {
        throw new InterruptedException();
      }
      now += millis;
    }

    long waited(LongUnaryOperator classesAt, boolean jmx) {
      boolean exiting = AppStartWait.await(this, () -> classesAt.applyAsLong(now - start), () -> jmx);
      assertFalse(exiting);
      return now - start;
    }
  }

  @Test
  void anAppThatLoadsNoMoreClassesGetsItAfterTheMinimum() {
    assertEquals(AppStartWait.MIN_MILLIS, new Fake().waited(t -> 5_000, false));
  }

  /** A Spring Boot app loading ~2,000 classes a second until 3.2 s after its first connection. */
  @Test
  void anAppStillStartingGetsItOnceItsClassLoadingQuiets() {
    long waited = new Fake().waited(t -> 5_000 + 2 * Math.min(t, 3_200), false);
    assertTrue(waited >= 3_200 && waited <= 3_200 + 2 * AppStartWait.WINDOW_MILLIS, waited + " ms");
  }

  @Test
  void aFewClassesNowAndThenDoNotCountAsStarting() {
    long waited = new Fake().waited(t -> 5_000 + t / 100, false);     // 10 a second
    assertEquals(AppStartWait.MIN_MILLIS, waited);
  }

  @Test
  void anAppThatNeverQuietsGetsItAtTheMaximum() {
    assertEquals(AppStartWait.MAX_MILLIS, new Fake().waited(t -> 5_000 + t, false));
  }

  /** The first window ends at the minimum: the count is first read one window before it. */
  @Test
  void classesAreFirstCountedOneWindowBeforeTheMinimum() {
    Fake clock = new Fake();
    long[] firstRead = {-1};
    clock.waited(t -> {
      if (firstRead[0] < 0) {
        firstRead[0] = t;
      }
      return 5_000;
    }, false);
    assertEquals(AppStartWait.MIN_MILLIS - AppStartWait.WINDOW_MILLIS, firstRead[0]);
  }

  @Test
  void whereJmxRunsAlreadyItComesAtOnce() {
    assertEquals(0, new Fake().waited(t -> 5_000 + t, true));
  }

  @Test
  void anInterruptMeansTheJvmIsExiting() {
    Fake clock = new Fake();
    clock.interruptAfterSleeps = 3;
    assertTrue(AppStartWait.await(clock, () -> 0, () -> false));
    assertEquals(2 * AppStartWait.STEP_MILLIS, clock.now - clock.start);
  }
}
