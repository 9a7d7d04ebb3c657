package connguard.bench.floor;

import connguard.bridge.Dispatcher;
import connguard.bridge.Guarded;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;

/**
 * What connguard's design costs before connguard decides anything: the woven wrappers, the bridge
 * crossings they make, and (in {@link Mode#STATE}) one small object per statement. Installed in
 * place of connguard's own dispatcher by the {@code floor-*} arms of a focused run (see
 * {@link Floor}); it heals nothing, and exists only to split "connguard over no-op" into the cost
 * of being called at all and the cost of what the guard does when called.
 *
 * <p>It answers the woven code as connguard does on a healthy connection: a connection and each
 * statement it makes get state (so their wrappers call across), every call but a close is
 * entered and its success reported, a close is entered only.
 */
public final class FloorDispatcher extends Dispatcher {
  /** How much of connguard's per-statement work the floor keeps. */
  public enum Mode {
    /** The crossings only: every object gets the same shared marker, nothing is allocated. */
    CROSSINGS,
    /** The crossings and one object per statement, the least a guard that can re-create it keeps. */
    STATE
  }

  private static final Object MARK = new Object();

  private final boolean statePerStatement;

  private FloorDispatcher(Mode mode) {
    this.statePerStatement = mode == Mode.STATE;
  }

  /** Replaces the dispatcher connguard installed; called reflectively, once the bridge is on bootstrap. */
  public static void install(String mode) {
    Hooks.install(new FloorDispatcher(Mode.valueOf(mode)));
  }

  /** Whether this connection got its state from a floor dispatcher: the arm checks it is really in place. */
  public static boolean isMarked(Object connection) {
    return connection instanceof Guarded && ((Guarded) connection).connguard$state() == MARK;
  }

  @Override public Object enter(Object self, int kind) {
    return null;      // classes woven by Byte Buddy (attach) never get state here
  }

  @Override public Object exit(Object self, int kind, String method, Object token, Object[] args,
                               Object result, Throwable thrown) {
    return Hooks.UNCHANGED;
  }

  @Override public void succeeded(Object self, int kind, String method, Object token, Object[] args, Object arg0,
                                  Object result) {
  }

  @Override public void parameterSet(Object self, String method, int index, long bits, Object value) {
  }

  @Override public Object enterWithState(Object state, int kind) {
    int operation = kind & MethodKind.OPERATION;
    return operation == MethodKind.STMT_CLOSE || operation == MethodKind.CONN_CLOSE ? null : state;
  }

  @Override public Object exitWithState(Object state, int kind, String method, Object token, Object[] args,
                                        Object result, Throwable thrown) {
    return Hooks.UNCHANGED;
  }

  @Override public void succeededWithState(Object state, int kind, String method, Object token, Object[] args,
                                           Object arg0, Object result) {
    if ((kind & MethodKind.OPERATION) == MethodKind.CONN_FACTORY && result != null) {
      // As connguard does: one type check per factory, so each site's profile sees one class.
      Guarded statement = method.charAt(0) == 'c' ? ifCreatedIsGuarded(result)
          : method.length() > 7 && method.charAt(7) == 'S' ? ifPreparedIsGuarded(result)
          : ifCallableIsGuarded(result);
      if (statement != null && statement.connguard$state() == null) {
        statement.connguard$state(statePerStatement ? new StatementState(state, arg0) : MARK);
      }
    }
  }

  @Override public void parameterSetWithState(Object state, String method, int index, long bits, Object value) {
  }

  @Override public void connecting() {
  }

  @Override public void connected(Object connection, Object source, Object arg0, Object arg1) {
    if (connection instanceof Guarded && ((Guarded) connection).connguard$state() == null) {
      ((Guarded) connection).connguard$state(MARK);
    }
  }

  private static Guarded ifCreatedIsGuarded(Object statement) {
    return statement instanceof Guarded ? (Guarded) statement : null;
  }

  private static Guarded ifPreparedIsGuarded(Object statement) {
    return statement instanceof Guarded ? (Guarded) statement : null;
  }

  private static Guarded ifCallableIsGuarded(Object statement) {
    return statement instanceof Guarded ? (Guarded) statement : null;
  }

  /** The least a statement's guard needs to make it again: its connection and its SQL. */
  private static final class StatementState {
    final Object connection;
    final Object sql;

    StatementState(Object connection, Object sql) {
      this.connection = connection;
      this.sql = sql;
    }
  }
}
