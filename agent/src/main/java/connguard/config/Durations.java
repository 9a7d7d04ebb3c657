package connguard.config;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The duration forms of the options: 250ms, 2s, 5m, 1h, a bare number of milliseconds, or off. */
public final class Durations {
  /** "off" is Long.MAX_VALUE so that `idleNanos > limit` is simply never true: no extra branch on the hot path. */
  public static final long OFF = Long.MAX_VALUE;

  /**
   * validateIdleAfter=auto: half the server's smallest idle timeout, once the agent has read it.
   * Only that option accepts it; the runtime resolves it to a real duration before any check.
   * Next to {@link #OFF} so that, should it ever reach a comparison, it behaves as off, never as
   * "validate before every call".
   */
  public static final long AUTO = Long.MAX_VALUE - 1;

  /** The accepted forms, as quoted in problem lines and the usage table. */
  static final String FORMS = "250ms, 2s, 5m, 1h, a number of ms, or off";
  static final String FORMS_OR_AUTO = "250ms, 2s, 5m, 1h, a number of ms, off, or auto";
  static final String POSITIVE_FORMS = "250ms, 2s, 5m, 1h, or a number of ms, more than 0";

  private Durations() {}

  /** Parses one of {@link #FORMS}; surrounding whitespace and letter case do not matter. */
  public static long parseNanos(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no duration given; use " + FORMS);
    }
    String trimmed = text.trim();
    if (trimmed.equalsIgnoreCase("off")) {
      return OFF;
    }
    // ASCII digits then a unit, nothing between: "2 sec", "1.5s" or "-1" are refused rather than
    // guessed at. By hand, not a regex: every JVM with the agent parses the defaults at start-up,
    // and java.util.regex would be its first use of lambdas (~10 ms).
    int digits = 0;
    while (digits < trimmed.length() && trimmed.charAt(digits) >= '0' && trimmed.charAt(digits) <= '9') {
      digits++;
    }
    String unit = trimmed.substring(digits).toLowerCase(Locale.ROOT);
    if (digits == 0 || !(unit.isEmpty() || unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h"))) {
      throw new IllegalArgumentException("\"" + text + "\" is not a duration; use " + FORMS);
    }
    try {
      return Math.multiplyExact(Long.parseLong(trimmed.substring(0, digits)), unitNanos(unit));
    } catch (ArithmeticException | NumberFormatException tooManyDigits) {
      throw new IllegalArgumentException("\"" + text + "\" is too large for a duration");
    }
  }

  /** The largest whole unit: "2s", "250ms", "5m", "off", "auto"; "ns" only for values no parse produced. */
  public static String format(long nanos) {
    if (nanos == OFF) {
      return "off";
    }
    if (nanos == AUTO) {
      return "auto";
    }
    long nanosPerMilli = TimeUnit.MILLISECONDS.toNanos(1);
    if (nanos % nanosPerMilli != 0) {
      return nanos + "ns";
    }
    long millis = nanos / nanosPerMilli;
    if (millis == 0) {
      return "0ms";
    }
    if (millis % TimeUnit.HOURS.toMillis(1) == 0) {
      return millis / TimeUnit.HOURS.toMillis(1) + "h";
    }
    if (millis % TimeUnit.MINUTES.toMillis(1) == 0) {
      return millis / TimeUnit.MINUTES.toMillis(1) + "m";
    }
    if (millis % TimeUnit.SECONDS.toMillis(1) == 0) {
      return millis / TimeUnit.SECONDS.toMillis(1) + "s";
    }
    return millis + "ms";
  }

  /** @param unit "", "ms", "s", "m" or "h" */
  private static long unitNanos(String unit) {
    if (unit.isEmpty() || unit.equals("ms")) {
      return TimeUnit.MILLISECONDS.toNanos(1);
    }
    if (unit.equals("s")) {
      return TimeUnit.SECONDS.toNanos(1);
    }
    if (unit.equals("m")) {
      return TimeUnit.MINUTES.toNanos(1);
    }
    return TimeUnit.HOURS.toNanos(1);
  }
}
