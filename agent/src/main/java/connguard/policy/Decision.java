package connguard.policy;

/** RETRY or SURFACE, with the reason in a few words (logged, and asserted by tests). */
public final class Decision {
  private final boolean retry;
  private final String reason;

  private Decision(boolean retry, String reason) {
    this.retry = retry;
    this.reason = reason;
  }

  static Decision retry(String reason) {
    return new Decision(true, reason);
  }

  static Decision surface(String reason) {
    return new Decision(false, reason);
  }

  public boolean isRetry() {
    return retry;
  }

  public String reason() {
    return reason;
  }

  @Override public String toString() {
    return (retry ? "RETRY: " : "SURFACE: ") + reason;
  }
}
