package connguard.policy;

/** What the statement's own comments say about running it again. */
public enum RetryHint {
  /** No hint. */
  NONE,
  /** A comment says {@code connguard:idempotent}: running it twice has the effect of once. */
  IDEMPOTENT,
  /** The text says {@code connguard:never-retry}; wins over IDEMPOTENT. */
  NEVER
}
