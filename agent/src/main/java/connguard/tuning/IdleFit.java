package connguard.tuning;

import connguard.config.Durations;
import java.util.concurrent.TimeUnit;

/**
 * Do connguard's idle options fit one server's idle timeouts, and what does
 * {@code validateIdleAfter=auto} choose for it? Pure: timeouts and options in, a value or a log
 * line out; the agent logs and applies them.
 */
public final class IdleFit {
  private IdleFit() {}

  /** What validateIdleAfter=auto uses for this server: the doctor's recommendation. */
  public static long autoNanos(ServerTimeouts timeouts) {
    return TimeUnit.MILLISECONDS.toNanos(Recommendation.from(timeouts).validateIdleAfterMillis);
  }

  /**
   * The one warning for this server, or null when the options fit its timeouts.
   *
   * @param server the masked URL or DataSource class, as the log names it
   * @param validateIdleAfterNanos as configured: a duration, {@link Durations#OFF} or {@link Durations#AUTO}
   * @param maxAgeNanos a duration or {@link Durations#OFF}
   */
  public static String warning(String server, ServerTimeouts timeouts, long validateIdleAfterNanos, long maxAgeNanos) {
    Recommendation r = Recommendation.from(timeouts);
    String validate = validateProblem(timeouts, r, validateIdleAfterNanos);
    String maxAge = maxAgeProblem(timeouts, r, maxAgeNanos);
    if (validate == null && maxAge == null) {
      return null;
    }
    String first = validate != null ? validate : maxAge;
    String second = validate != null && maxAge != null ? "; it also " + maxAge : "";
    return "connguard: " + server + " " + first + second;
  }

  /** The INFO line for what auto chose after reading this server; chosenNanos is over all servers seen. */
  public static String autoChoice(String server, ServerTimeouts timeouts, long chosenNanos) {
    Recommendation r = Recommendation.from(timeouts);
    long forThisServer = TimeUnit.MILLISECONDS.toNanos(r.validateIdleAfterMillis);
    String line = "connguard: validateIdleAfter=auto: " + Durations.format(forThisServer) + " for " + server
        + " (" + r.validateIdleAfterWhy + ")";
    return chosenNanos == forThisServer ? line
        : line + "; using " + Durations.format(chosenNanos) + ", what another server needs";
  }

  private static String validateProblem(ServerTimeouts timeouts, Recommendation r, long validateIdleAfterNanos) {
    Recommendation.Limit idle = Recommendation.smallestIdleLimit(timeouts);
    if (idle == null) {
      return null;
    }
    boolean auto = validateIdleAfterNanos == Durations.AUTO;
    long effectiveNanos = auto ? TimeUnit.MILLISECONDS.toNanos(r.validateIdleAfterMillis) : validateIdleAfterNanos;
    // Equal is a race already: the server's timer and our idle check fire at the same moment.
    if (effectiveNanos < TimeUnit.MILLISECONDS.toNanos(idle.millis)) {
      return null;
    }
    String shown = auto ? "auto (" + Durations.format(effectiveNanos) + ")" : Durations.format(effectiveNanos);
    String cause = closes(idle) + " but validateIdleAfter=" + shown + ": idle connections will die "
        + (effectiveNanos == Durations.OFF ? "unchecked" : "before they are checked");
    if (r.validateIdleAfterMillis >= idle.millis) {
      // Below the shortest sensible check: no setting of ours is safe, only the server's.
      return cause + "; raise " + idle.setting.serverName;
    }
    String recommended = "validateIdleAfter=" + Recommendation.duration(r.validateIdleAfterMillis);
    return cause + "; use " + recommended + (auto ? "" : " or validateIdleAfter=auto");
  }

  private static String maxAgeProblem(ServerTimeouts timeouts, Recommendation r, long maxAgeNanos) {
    Recommendation.Limit idle = Recommendation.sessionIdleLimit(timeouts);
    if (idle == null || maxAgeNanos == Durations.OFF || maxAgeNanos < TimeUnit.MILLISECONDS.toNanos(idle.millis)) {
      return null;
    }
    String cause = closes(idle) + " but maxAge=" + Durations.format(maxAgeNanos)
        + ": connections idle that long die before maxAge replaces them";
    if (r.maxAgeMillis == Durations.OFF) {
      return cause + "; use maxAge=off and leave them to validateIdleAfter (recycling below "
          + Recommendation.duration(idle.millis) + " only churns connections)";
    }
    return cause + "; use maxAge=" + Recommendation.duration(r.maxAgeMillis);
  }

  // "closes idle sessions after 3s (idle_session_timeout)"
  static String closes(Recommendation.Limit idle) {
    String what = idle.setting == ServerSetting.IDLE_IN_TRANSACTION_SESSION_TIMEOUT
        ? "closes sessions idle in a transaction" : "closes idle sessions";
    return what + " after " + Recommendation.duration(idle.millis) + " (" + idle.setting.serverName + ")";
  }
}
