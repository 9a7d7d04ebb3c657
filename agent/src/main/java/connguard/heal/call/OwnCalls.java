package connguard.heal.call;

/**
 * Marks calls the agent itself makes (closing a dead connection it replaced, connecting its
 * replacement), so its own advice lets them through. Read only on slow paths.
 */
public final class OwnCalls {
  private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<int[]>() {
    @Override protected int[] initialValue() {
      return new int[1];
    }
  };

  private OwnCalls() {}

  public static boolean active() {
    return DEPTH.get()[0] > 0;
  }

  public static void enter() {
    DEPTH.get()[0]++;
  }

  public static void exit() {
    DEPTH.get()[0]--;
  }

  /** Closes quietly: the object belongs to a connection that is dead or being replaced. */
  public static void close(Object jdbcObject) {
    if (jdbcObject == null) {
      return;
    }
    enter();
    try {
      ((AutoCloseable) jdbcObject).close();
    } catch (Throwable ignored) {
      // It is already broken; its own error tells nothing new.
    } finally {
      exit();
    }
  }
}
