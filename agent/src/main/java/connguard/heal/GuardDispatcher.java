package connguard.heal;

import connguard.bridge.Dispatcher;
import connguard.bridge.Hooks;
import connguard.config.Options;
import connguard.heal.call.OwnCalls;
import connguard.log.Log;
import connguard.stats.Stats;
import connguard.tuning.HikariSettings;
import java.util.function.LongSupplier;

/**
 * The bridge's single implementation: finds the state beside the woven object ({@link States})
 * and hands over. Objects without state (pool proxies, the agent's own
 * replacements, internal driver statements) pass through untouched.
 */
public final class GuardDispatcher extends Dispatcher {
  private final GuardContext ctx;

  /** @param classesLoaded how many classes the JVM has loaded so far (the start-up wait, {@link AppStartWait}) */
  public GuardDispatcher(Options options, Stats stats, LongSupplier classesLoaded) {
    this.ctx = new GuardContext(options, stats, classesLoaded);
  }

  // Classes woven by Byte Buddy (attach) pass the object: find its state, then as below.

  @Override public Object enter(Object self, int kind) {
    Object state = States.of(self);
    return state == null ? null : enterWithState(state, kind);
  }

  @Override public Object exit(Object self, int kind, String method, Object token, Object[] args,
                               Object result, Throwable thrown) {
    Object state = States.of(self);
    return state == null ? Hooks.UNCHANGED : exitWithState(state, kind, method, token, args, result, thrown);
  }

  @Override public void succeeded(Object self, int kind, String method, Object token, Object[] args, Object arg0,
                                  Object result) {
    Object state = States.of(self);
    if (state != null) {
      succeededWithState(state, kind, method, token, args, arg0, result);
    }
  }

  @Override public void parameterSet(Object self, String method, int index, long bits, Object value) {
    parameterSetWithState(States.of(self), method, index, bits, value);
  }

  // Classes woven at definition pass the state itself: a Guard, never null (parameterSet may get
  // null from above).

  @Override public Object enterWithState(Object state, int kind) {
    return ((Guard) state).enter(kind);
  }

  @Override public Object exitWithState(Object state, int kind, String method, Object token, Object[] args,
                                        Object result, Throwable thrown) {
    return ((Guard) state).exit(kind, method, token, args, result, thrown);
  }

  @Override public void succeededWithState(Object state, int kind, String method, Object token, Object[] args,
                                           Object arg0, Object result) {
    ((Guard) state).succeeded(kind, method, token, args, arg0, result);
  }

  @Override public void parameterSetWithState(Object state, String method, int index, long bits, Object value) {
    if (state instanceof LogicalStatement) {
      ((LogicalStatement) state).recordParameter(method, index, bits, value);
    }
  }

  /**
   * Per thread: [0] how deep in Driver.connect/DataSource.getConnection calls we are, [1] 1 once a
   * connection was guarded inside the outermost one. A wrapping driver (p6spy-style) returns a
   * wrapper around a connection its inner driver made: only that inner, physical one is guarded,
   * so a failure is healed once, not once per layer.
   */
  private static final ThreadLocal<int[]> CONNECTS = new ThreadLocal<int[]>() {
    @Override protected int[] initialValue() {
      return new int[2];
    }
  };

  @Override public void connecting() {
    CONNECTS.get()[0]++;
  }

  @Override public void connected(Object connection, Object source, Object arg0, Object arg1) {
    int[] connects = CONNECTS.get();
    boolean innerGuarded = connects[1] != 0;
    if (--connects[0] <= 0) {
      connects[0] = 0;
      connects[1] = 0;
    }
    try {
      if (connection == null || OwnCalls.active()) {
        return;                         // failed, or our own reconnect (its state is the app connection's)
      }
      if (innerGuarded || States.of(connection) != null) {
        return;                         // a wrapper around a connection guarded already
      }
      ConnectionFactory factory = ConnectionFactory.capture(source, arg0, arg1);
      if (factory != null) {
        States.attach(connection, new LogicalConnection(ctx, connection, factory));
        if (connects[0] > 0) {
          connects[1] = 1;
        }
      }
    } catch (Throwable t) {
      Log.debug("connguard: could not guard a new connection: " + t);
    }
  }

  @Override public void poolConfigured(Object config) {
    try {
      ctx.tuner.poolConfigured(HikariSettings.read(config));
    } catch (Throwable t) {
      Log.debug("connguard: could not look at a pool's settings: " + t);
    }
  }
}
