package connguard.classify;

/** What a failure says about the connection it happened on. */
public enum Verdict {
  /** The physical connection is gone: nothing more can be done on it. */
  DEAD,
  /** The connection still works; the failure belongs to the statement and is the app's to handle. */
  ALIVE
}
