package connguard.bridge;

/** Implemented once, in the agent's class loader; see {@link Hooks} for the meaning of each call. */
public abstract class Dispatcher {
  public abstract Object enter(Object self, int kind);

  public abstract Object exit(Object self, int kind, String method, Object token, Object[] args,
                              Object result, Throwable thrown);

  public abstract void connecting();

  public abstract void connected(Object connection, Object source, Object arg0, Object arg1);

  /** Optional: a dispatcher that does not look at pools ignores them. */
  public void poolConfigured(Object config) {
  }
}
