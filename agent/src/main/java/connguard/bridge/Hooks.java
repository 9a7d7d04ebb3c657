package connguard.bridge;

/**
 * Static entry points of the woven advice. Each is one volatile read and one call into the
 * dispatcher the agent installed; before installation (or with the agent disabled) they do nothing.
 */
public final class Hooks {
  /** Returned by {@link #exit} when the method's own outcome stands. */
  public static final Object UNCHANGED = new Object();

  /**
   * The argument array of a method without arguments (addBatch(), closeOnCompletion()), shared:
   * it has nothing to change, and the hot path allocates nothing for it.
   */
  public static final Object[] NO_ARGS = new Object[0];

  private static volatile Dispatcher dispatcher;

  private Hooks() {}

  public static void install(Dispatcher d) {
    dispatcher = d;
  }

  /** Before a JDBC method runs. Null: nothing to do; a {@link Skip}: do not run the body. */
  public static Object enter(Object self, int kind) {
    Dispatcher d = dispatcher;
    return d == null ? null : d.enter(self, kind);
  }

  /** After a JDBC method ran (or was skipped): {@link #UNCHANGED}, a result, or a {@link Failure}. */
  public static Object exit(Object self, int kind, String method, Object token, Object[] args,
                            Object result, Throwable thrown) {
    Dispatcher d = dispatcher;
    return d == null ? UNCHANGED : d.exit(self, kind, method, token, args, result, thrown);
  }

  /**
   * After a JDBC method ran its own body and returned normally (token was not a {@link Skip}):
   * bookkeeping only, the app's outcome stands. {@code args}, {@code arg0} and {@code result} are
   * passed only where {@link MethodKind} says they are read, so this path allocates nothing.
   */
  public static void succeeded(Object self, int kind, String method, Object token, Object[] args, Object arg0,
                               Object result) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.succeeded(self, kind, method, token, args, arg0, result);
    }
  }

  /**
   * After {@code setX(int index, value)} ran and returned normally: record it for replay without an
   * argument array or a box. A primitive value comes as {@code bits} (integral types widened to
   * long, float and double as {@link Double#doubleToRawLongBits}), a reference as {@code value};
   * the method descriptor says which.
   */
  public static void parameterSet(Object self, String method, int index, long bits, Object value) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.parameterSet(self, method, index, bits, value);
    }
  }

  /**
   * {@link #enter}, for a class woven at definition: its wrapper has read the object's state from
   * the field the weaver added (no interface check, no map) and calls here only when there is one.
   */
  public static Object enterWithState(Object state, int kind) {
    Dispatcher d = dispatcher;
    return d == null ? null : d.enterWithState(state, kind);
  }

  /** {@link #exit}, with the state {@link #enterWithState} was given. */
  public static Object exitWithState(Object state, int kind, String method, Object token, Object[] args,
                                     Object result, Throwable thrown) {
    Dispatcher d = dispatcher;
    return d == null ? UNCHANGED : d.exitWithState(state, kind, method, token, args, result, thrown);
  }

  /** {@link #succeeded}, with the state {@link #enterWithState} was given. */
  public static void succeededWithState(Object state, int kind, String method, Object token, Object[] args,
                                        Object arg0, Object result) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.succeededWithState(state, kind, method, token, args, arg0, result);
    }
  }

  /** {@link #parameterSet}, with the state {@link #enterWithState} was given. */
  public static void parameterSetWithState(Object state, String method, int index, long bits, Object value) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.parameterSetWithState(state, method, index, bits, value);
    }
  }

  /** Before {@code Driver.connect} or a driver DataSource's {@code getConnection}: they nest in wrapping drivers. */
  public static void connecting() {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.connecting();
    }
  }

  /**
   * After {@code Driver.connect(url, info)} or a driver's own {@code DataSource.getConnection(...)}
   * returned or threw (then {@code connection} is null): remember how to make a replacement
   * ({@code source} and its two arguments, either may be null).
   */
  public static void connected(Object connection, Object source, Object arg0, Object arg1) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.connected(connection, source, arg0, arg1);
    }
  }

  /** After a pool validated its configuration (HikariCP's HikariConfig.validate()). */
  public static void poolConfigured(Object config) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.poolConfigured(config);
    }
  }
}
