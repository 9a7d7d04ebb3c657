package connguard.heal;

/**
 * The thread inside an outermost guarded call on one connection (or one of its statements), and
 * how deep: drivers call their own JDBC methods (isValid runs a statement, executeQuery calls
 * getters), and only the outermost call may validate or heal, or isValid() would heal its own
 * probe and report a dead connection valid.
 *
 * <p>Per connection instead of a ThreadLocal: a field read and Thread.currentThread() (an
 * intrinsic) on every call. Plain fields: a JDBC connection is used by one thread at a time; see
 * {@link #enter} for when it is not. The thread's id, not the Thread: a primitive store needs no
 * GC write barrier, a reference store into this old object pays G1's card marking on every call.
 */
final class CallDepth {
  private long thread;                    // 0: none (thread ids start at 1)
  private int depth;

  /** Is thread {@code me} inside a counted call: is this call a driver-internal one? */
  boolean isInside(long me) {
    return thread == me;
  }

  /** One level deeper for the thread already inside ({@link #isInside} was true). */
  void nest() {
    depth++;
  }

  /**
   * A counted call begins on thread {@code me}. Another thread inside this connection at the same
   * time (JDBC does not promise that works; a cancel() or close() from another thread is not
   * counted) leaves the count to that thread: this call then runs guarded but uncounted, so its
   * driver-internal calls are treated as outermost too. Never worse than that: only the owning
   * thread changes the count, and its outermost exit clears it.
   */
  void enter(long me) {
    long inside = thread;
    if (inside == me) {
      depth++;
    } else if (inside == 0) {
      thread = me;
      depth = 1;
    }
  }

  /** The end of a call counted by {@link #enter} or {@link #nest}. */
  void leave(long me) {
    if (thread == me && --depth <= 0) {
      depth = 0;
      thread = 0;
    }
  }
}
