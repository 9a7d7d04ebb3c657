package connguard.heal;

/**
 * How many guarded round-trip calls the current thread is inside. Drivers call their own JDBC
 * methods (isValid runs a statement, executeQuery calls getters): only the outermost call may
 * validate or heal, or isValid() would heal its own probe and report a dead connection valid.
 */
final class CallDepth {
  private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<int[]>() {
    @Override protected int[] initialValue() {
      return new int[1];
    }
  };

  private CallDepth() {}

  static int[] current() {
    return DEPTH.get();
  }
}
