package connguard.bridge;

/** Implemented once, in the agent's class loader; see {@link Hooks} for the meaning of each call. */
public abstract class Dispatcher {
  public abstract Object enter(Object self, int kind);

  public abstract Object exit(Object self, int kind, String method, Object token, Object[] args,
                              Object result, Throwable thrown);

  /** The success path of a call that ran its own body: bookkeeping only, the outcome stands. */
  public abstract void succeeded(Object self, int kind, String method, Object token, Object[] args, Object arg0,
                                 Object result);

  /** The success path of a parameter setter {@code setX(int index, value)}. */
  public abstract void parameterSet(Object self, String method, int index, long bits, Object value);

  // The same four moments for classes woven at definition: their wrapper reads the object's state
  // itself (from the field the weaver added) and passes it, never null, instead of the object.

  public abstract Object enterWithState(Object state, int kind);

  public abstract Object exitWithState(Object state, int kind, String method, Object token, Object[] args,
                                       Object result, Throwable thrown);

  public abstract void succeededWithState(Object state, int kind, String method, Object token, Object[] args,
                                          Object arg0, Object result);

  public abstract void parameterSetWithState(Object state, String method, int index, long bits, Object value);

  public abstract void connecting();

  public abstract void connected(Object connection, Object source, Object arg0, Object arg1);

  /** Optional: a dispatcher that does not look at pools ignores them. */
  public void poolConfigured(Object config) {
  }
}
