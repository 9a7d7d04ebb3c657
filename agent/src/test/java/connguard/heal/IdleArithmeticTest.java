package connguard.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.config.Durations;
import connguard.config.Options;
import connguard.heal.check.UseCheck;
import connguard.stats.Stats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An hour or a day between two uses must be measured and compared as exactly as two seconds.
 * {@link LogicalConnection#beginRoundTrip} computes {@code now - lastUsedNanos} (and
 * {@code now - physicalBornNanos}) from {@link CoarseClock} and hands them to {@link UseCheck}
 * with {@link GuardContext#validateIdleAfterNanos} and {@link GuardContext#maxAgeNanos}; nanoTime's
 * origin is arbitrary and may be near the wrap, so only the difference is meaningful.
 */
class IdleArithmeticTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private static final long DAY = TimeUnit.DAYS.toNanos(1);
  /** Where a nanoTime reading may sit: anywhere, including just before the sign flips. */
  private static final long[] ORIGINS = {0, 1, -1, Long.MAX_VALUE - HOUR / 2, Long.MAX_VALUE,
      Long.MIN_VALUE, Long.MIN_VALUE + SECOND, -DAY, 123_456_789_012_345L};

  @Test
  void hourAndDayLongOptionsBecomeExactNanos() {
    GuardContext ctx = context("validateIdleAfter=1h,maxAge=24h");
    assertEquals(HOUR, ctx.validateIdleAfterNanos);
    assertEquals(DAY, ctx.maxAgeNanos);
    // A year of hours still fits a long (292 years do): no option value wraps negative.
    assertEquals(365 * DAY, context("maxAge=8760h").maxAgeNanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"validateIdleAfter=1h,maxAge=24h", "validateIdleAfter=2s,maxAge=1h"})
  void gapsOfSecondsHoursAndDaysCompareRightAcrossTheNanoTimeWrap(String args) {
    GuardContext ctx = context(args);
    long[] gaps = {0, SECOND, 2 * SECOND, 2 * SECOND + 1, HOUR - 1, HOUR, HOUR + 1, DAY - 1, DAY,
        DAY + 1, 30 * DAY, 10 * 365 * DAY};
    List<String> wrong = new ArrayList<>();
    for (long lastUsed : ORIGINS) {
      for (long gap : gaps) {
        long now = lastUsed + gap;                 // may wrap, as a real nanoTime may
        long idleNanos = now - lastUsed;           // LogicalConnection.beginRoundTrip's difference
        boolean due = UseCheck.isDue(idleNanos, idleNanos, ctx.validateIdleAfterNanos, ctx.maxAgeNanos);
        boolean validates = UseCheck.validates(idleNanos, ctx.validateIdleAfterNanos, false);
        boolean recycles = UseCheck.recycles(idleNanos, ctx.maxAgeNanos, false);
        if (idleNanos != gap || validates != (gap > ctx.validateIdleAfterNanos)
            || recycles != (gap > ctx.maxAgeNanos) || due != (validates || recycles)
            || idleNanos / 1_000_000 != gap / 1_000_000) {
          wrong.add("origin " + lastUsed + " gap " + gap);
        }
      }
    }
    assertEquals(Collections.emptyList(), wrong);
  }

  @Test
  void offNeverFiresEvenAfterCenturies() {
    GuardContext ctx = context("validateIdleAfter=off,maxAge=off");
    assertEquals(Durations.OFF, ctx.validateIdleAfterNanos);
    for (long lastUsed : ORIGINS) {
      long now = lastUsed + 200 * 365 * DAY;
      assertFalse(UseCheck.isDue(now - lastUsed, now - lastUsed, ctx.validateIdleAfterNanos, ctx.maxAgeNanos));
      assertFalse(UseCheck.validates(now - lastUsed, ctx.validateIdleAfterNanos, false));
      assertFalse(UseCheck.recycles(now - lastUsed, ctx.maxAgeNanos, false));
    }
  }

  @Test
  void coarseClockStaysWithinATickOfNanoTime() throws InterruptedException {
    CoarseClock.start();
    long worst = 0;
    for (int i = 0; i < 20; i++) {
      Thread.sleep(7);
      worst = Math.max(worst, Math.abs(System.nanoTime() - CoarseClock.nanoTime()));
    }
    // The tick is 5 ms; a loaded 2-core machine may delay it, not by seconds.
    assertTrue(worst < TimeUnit.MILLISECONDS.toNanos(500), "coarse clock lags by " + worst + " ns");
  }

  private static GuardContext context(String agentArgs) {
    List<String> problems = new ArrayList<>();
    Options options = Options.load(agentArgs, null, null, problems);
    assertEquals(Collections.emptyList(), problems);
    // No class loads: the start-up work runs after the minimum wait.
    return new GuardContext(options, new Stats(), () -> 0);
  }
}
