package connguard.cli;

import connguard.tuning.Product;
import connguard.tuning.Recommendation;
import connguard.tuning.ServerSetting;
import connguard.tuning.ServerTimeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The doctor's report as text. Pure: everything was measured and read before. */
final class Report {
  /** What the doctor measured on the connection. */
  static final class Measured {
    final String driver;
    /** The first connect, which includes loading the driver's classes. */
    final long firstConnectNanos;
    /** A second connect, as a reconnect in a running app costs; -1 if it failed. */
    final long connectNanos;
    final long roundTripNanos;
    /** "SELECT 1", or "isValid" for a database that refused it. */
    final String roundTripProbe;
    final int roundTrips;

    Measured(String driver, long firstConnectNanos, long connectNanos, long roundTripNanos,
        String roundTripProbe, int roundTrips) {
      this.driver = driver;
      this.firstConnectNanos = firstConnectNanos;
      this.connectNanos = connectNanos;
      this.roundTripNanos = roundTripNanos;
      this.roundTripProbe = roundTripProbe;
      this.roundTrips = roundTrips;
    }
  }

  private Report() {}

  /**
   * @param maskedUrl the URL with its password masked
   * @param readProblem why the timeouts could not be read, or null
   */
  static String text(String maskedUrl, String user, Measured measured, ServerTimeouts timeouts,
      String readProblem, Recommendation r) {
    return text(maskedUrl, user, measured, timeouts, readProblem, r, null);
  }

  /** @param failoverNote what the server's standbys mean for the URL ({@link connguard.tuning.Standbys}), or null */
  static String text(String maskedUrl, String user, Measured measured, ServerTimeouts timeouts,
      String readProblem, Recommendation r, String failoverNote) {
    StringBuilder out = new StringBuilder();
    out.append("connguard doctor: ").append(maskedUrl).append(user == null ? "" : " as " + user).append('\n');
    row(out, "  ", "database", timeouts.product == Product.OTHER ? timeouts.version : timeouts.product.displayName
        + " " + timeouts.version, 12);
    row(out, "  ", "driver", measured.driver, 12);
    row(out, "  ", "connect", measured.connectNanos < 0
        ? millis(measured.firstConnectNanos) + " (with driver loading)"
        : millis(measured.connectNanos) + " (first " + millis(measured.firstConnectNanos) + ", with driver loading)", 12);
    row(out, "  ", "round trip", millis(measured.roundTripNanos) + " (median of " + measured.roundTrips + " "
        + measured.roundTripProbe + ")", 12);

    out.append('\n');
    List<ServerSetting> settings = ServerSetting.of(timeouts.product);
    if (settings.isEmpty()) {
      out.append("Server timeouts: not known for this database.\n");
    } else if (readProblem != null) {
      out.append("Server timeouts: could not read them: ").append(readProblem).append('\n');
    } else {
      out.append("Server timeouts (this session's values):\n");
      int width = 0;
      for (ServerSetting s : settings) {
        width = Math.max(width, s.serverName.length());
      }
      for (ServerSetting s : settings) {
        row(out, "  ", s.serverName, pad(valueText(timeouts, s), 6) + "  " + s.meaning, width + 2);
      }
    }

    out.append('\n').append("Recommended connguard options:\n");
    out.append("  -javaagent:connguard.jar=").append(r.agentArguments()).append('\n');
    int width = 25;
    row(out, "    ", "validateIdleAfter=" + Recommendation.duration(r.validateIdleAfterMillis),
        r.validateIdleAfterWhy, width);
    row(out, "    ", "maxAge=" + Recommendation.duration(r.maxAgeMillis), r.maxAgeWhy, width);

    out.append('\n').append("Recommended HikariCP settings (milliseconds), if the app pools with it:\n");
    row(out, "    ", "maxLifetime=" + hikari(r.maxLifetimeMillis), why(r.maxLifetimeMillis, r.maxLifetimeWhy), width);
    row(out, "    ", "keepaliveTime=" + hikari(r.keepaliveTimeMillis), why(r.keepaliveTimeMillis, r.keepaliveTimeWhy), width);

    List<String> notes = new ArrayList<>(r.notes);
    if (failoverNote != null) {
      notes.add(failoverNote);
    }
    if (!notes.isEmpty()) {
      out.append('\n').append("Notes:\n");
      for (String note : notes) {
        out.append("  - ").append(note).append('\n');
      }
    }
    return out.toString();
  }

  // HikariCP takes milliseconds; the reason starts with the duration, for people.
  private static String hikari(long millis) {
    return millis == Recommendation.NOT_SETTABLE ? "n/a" : Long.toString(millis);
  }

  private static String why(long millis, String why) {
    return millis > 0 ? Recommendation.duration(millis) + ": " + why : (millis == 0 ? "off: " + why : why);
  }

  private static String valueText(ServerTimeouts timeouts, ServerSetting s) {
    Long value = timeouts.value(s);
    if (value == null) {
      return "n/a";
    }
    return s.isDuration ? Recommendation.duration(value) : Long.toString(value);
  }

  /** "31 ms", "0.42 ms". */
  static String millis(long nanos) {
    double ms = nanos / 1_000_000.0;
    return ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  private static void row(StringBuilder out, String indent, String label, String text, int width) {
    out.append(indent).append(pad(label, width)).append(' ').append(text).append('\n');
  }

  private static String pad(String text, int width) {
    StringBuilder padded = new StringBuilder(text);
    while (padded.length() < width) {
      padded.append(' ');
    }
    return padded.toString();
  }
}
