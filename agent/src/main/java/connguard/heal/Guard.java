package connguard.heal;

import connguard.bridge.Skip;

/** Per-object state of a guarded Connection or Statement: decides what its advice does. */
abstract class Guard {
  /** Token of a call made inside another guarded call (driver internals): only counted. */
  static final Object NESTED = new Object();
  /** Skip the method and let it return normally (e.g. rollback of a transaction the server already dropped). */
  static final Skip DONE = new Skip();

  abstract Object enter(int kind);

  abstract Object exit(int kind, String method, Object token, Object[] args, Object result, Throwable thrown);

  /** The short method name for log lines: "executeQuery(Ljava/lang/String;)..." becomes "executeQuery". */
  static String nameOf(String method) {
    int paren = method.indexOf('(');
    return paren < 0 ? method : method.substring(0, paren);
  }
}
