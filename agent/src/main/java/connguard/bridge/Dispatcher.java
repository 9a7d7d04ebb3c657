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

  public abstract void connecting();

  public abstract void connected(Object connection, Object source, Object arg0, Object arg1);

  /** Optional: a dispatcher that does not look at pools ignores them. */
  public void poolConfigured(Object config) {
  }
}
