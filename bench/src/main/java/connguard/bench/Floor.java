package connguard.bench;

/**
 * The {@code floor-crossings} and {@code floor-state} arms of a focused run: connguard's agent,
 * with {@code connguard.bench.floor.FloorDispatcher} put behind its bridge in place of the guard
 * ({@code -Dbench.floor=CROSSINGS} or {@code STATE}). Benchmarks call {@link #installIfAsked}
 * in their setup, before they open a connection, and {@link #check} after.
 */
final class Floor {
  static final String PROPERTY = "bench.floor";
  private static final String DISPATCHER = "connguard.bench.floor.FloorDispatcher";

  private Floor() {}

  /**
   * With the property set: loads {@code driverClass} (connguard starts at the first JDBC class and
   * injects its bridge into the bootstrap loader), then installs the floor dispatcher. Only by
   * reflection: linked earlier, the bridge classes would come from the agent jar on the class path,
   * a second copy the woven code never calls.
   */
  static void installIfAsked(String driverClass) {
    String mode = System.getProperty(PROPERTY);
    if (mode == null) {
      return;
    }
    try {
      Class.forName(driverClass);
      Class.forName("connguard.bridge.Hooks", false, null);      // on bootstrap, or this arm is void
      Class.forName(DISPATCHER).getMethod("install", String.class).invoke(null, mode);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the floor arm needs -javaagent:connguard.jar: " + e, e);
    }
  }

  /** With the property set: the connection must carry the floor's state, or the arm measured nothing. */
  static void check(Object connection) {
    if (System.getProperty(PROPERTY) == null) {
      return;
    }
    try {
      Object marked = Class.forName(DISPATCHER).getMethod("isMarked", Object.class).invoke(null, connection);
      if (!Boolean.TRUE.equals(marked)) {
        throw new IllegalStateException("the floor arm's connection " + connection.getClass().getName()
            + " has no floor state: not woven, or connguard's dispatcher is still in place");
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the floor arm could not check its connection: " + e, e);
    }
  }
}
