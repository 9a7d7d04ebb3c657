package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.bridge.Skip;
import connguard.heal.call.Invoker;
import connguard.heal.call.OwnCalls;

/** Per-object state of a guarded Connection or Statement: decides what its advice does. */
public abstract class Guard {
  /** Token of a call made inside another guarded call (driver internals): only counted. */
  static final Object NESTED = new Object();
  /** Skip the method and let it return normally (e.g. rollback of a transaction the server already dropped). */
  static final Skip DONE = new Skip();
  /**
   * getWarnings() answers null and clearWarnings() does nothing on an object whose connection is
   * known dead and will heal: the driver's closed object would throw ("This connection has been
   * closed", 08003), a pool would evict a connection the agent heals, and a framework's cleanup
   * after a refusal (Hibernate's release after Spring's rollback) would log it as a failure. A
   * dead session has no warnings to give; its replacement starts with none.
   */
  static final Skip NO_WARNINGS = new Skip();

  protected abstract Object enter(int kind);

  /**
   * The exit protocol shared by connections and statements: unwind the call depth, answer a
   * refusal, run a forwarded call on the replacement (a close closes both), then let the subclass
   * book the outcome. Returns {@link Hooks#UNCHANGED}, a result, or a {@link Failure}.
   */
  final Object exit(int kind, String method, Object token, Object[] args, Object result, Throwable thrown) {
    int operation = MethodKind.operation(kind);
    if (token == NESTED || (token == this && countsDepth(operation))) {
      connection().leaveCall();
      if (token == NESTED) {
        return Hooks.UNCHANGED;
      }
    }
    if (token == DONE) {
      return Hooks.UNCHANGED;
    }
    if (token instanceof Refusal) {
      return new Failure(((Refusal) token).error);
    }
    boolean forwarded = token instanceof Forward;
    if (forwarded) {
      Object target = ((Forward) token).target;
      if (isClose(operation)) {
        if (method.startsWith("abort(")) {
          abort(target, args);      // not close(): that may wait for the query abort() is meant to stop
        } else {
          OwnCalls.close(target);
        }
        OwnCalls.close(owner());
        return Hooks.UNCHANGED;
      }
      if (method.startsWith("unwrap(") && args != null && args[0] instanceof Class
          && ((Class<?>) args[0]).isInstance(owner())) {
        return owner();     // identity, as without the agent: the app's object unwraps to itself
      }
      Throwable refused = refuseForwarded(operation, method, args);
      if (refused != null) {
        return new Failure(refused);
      }
      try {
        result = Invoker.invoke(target, method, argsForPhysical(operation, args));
        thrown = null;
      } catch (Throwable t) {
        thrown = t;
      }
    } else if (token instanceof Skip) {
      return answerSkipped(token, kind, method, args);
    }
    return afterCall(kind, method, args, result, thrown, forwarded);
  }

  /**
   * The success path of a call that ran its own body ({@code token} is {@link #NESTED} or
   * {@code this}): unwind the call depth and book it. Only what the kind asks for is passed:
   * {@code args} or just {@code arg0} (the SQL), and the result.
   */
  final void succeeded(int kind, String method, Object token, Object[] args, Object arg0, Object result) {
    int operation = MethodKind.operation(kind);
    if (token == NESTED || (token == this && countsDepth(operation))) {
      connection().leaveCall();
      if (token == NESTED) {
        return;
      }
    }
    if (token == this) {
      recordSuccess(operation, method, args, arg0, result);
    }
  }

  /** Bookkeeping after the call succeeded on the app's own object; see {@link #succeeded}. */
  protected abstract void recordSuccess(int operation, String method, Object[] args, Object arg0, Object result);

  /** The app's own driver object this state belongs to. */
  protected abstract Object owner();

  /** The connection whose call depth this object's calls count in. */
  protected abstract LogicalConnection connection();

  /** Did enter count this call in the connection's call depth when it returned {@code this} as the token? */
  protected abstract boolean countsDepth(int operation);

  protected abstract boolean isClose(int operation);

  /** The arguments of a call about to run on the physical object now (a replacement, after a heal). */
  protected Object[] argsForPhysical(int operation, Object[] args) {
    return args;
  }

  /** A forwarded call that must not run on the replacement; null when it may. */
  protected Throwable refuseForwarded(int operation, String method, Object[] args) {
    return null;
  }

  /** The outcome of a subclass-specific skip token. */
  protected Object answerSkipped(Object token, int kind, String method, Object[] args) {
    return Hooks.UNCHANGED;
  }

  /** Book a finished call: record it on success, recover it on a dead connection. */
  protected abstract Object afterCall(int kind, String method, Object[] args, Object result, Throwable thrown, boolean forwarded);

  private static void abort(Object target, Object[] args) {
    try {
      Invoker.invoke(target, "abort(Ljava/util/concurrent/Executor;)V", args);
    } catch (Throwable ignored) {
      // The app asked for it dead: it is, one way or the other.
    }
  }

  /** The short method name for log lines: "executeQuery(Ljava/lang/String;)..." becomes "executeQuery". */
  public static String nameOf(String method) {
    int paren = method.indexOf('(');
    return paren < 0 ? method : method.substring(0, paren);
  }
}
