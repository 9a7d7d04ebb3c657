package connguard.heal;

import connguard.bridge.Dispatcher;
import connguard.bridge.Hooks;
import connguard.config.Options;
import connguard.log.Log;
import connguard.stats.Stats;

/**
 * The bridge's single implementation: finds the state beside the woven object ({@link States})
 * and hands over. Objects without state (pool proxies, the agent's own
 * replacements, internal driver statements) pass through untouched.
 */
public final class GuardDispatcher extends Dispatcher {
  private final GuardContext ctx;

  public GuardDispatcher(Options options, Stats stats) {
    this.ctx = new GuardContext(options, stats);
  }

  @Override public Object enter(Object self, int kind) {
    Object state = States.of(self);
    return state == null ? null : ((Guard) state).enter(kind);
  }

  @Override public Object exit(Object self, int kind, String method, Object token, Object[] args,
                               Object result, Throwable thrown) {
    Object state = States.of(self);
    return state == null ? Hooks.UNCHANGED : ((Guard) state).exit(kind, method, token, args, result, thrown);
  }

  @Override public void connected(Object connection, Object source, Object arg0, Object arg1) {
    try {
      if (Internal.active()) {
        return;                         // our own reconnect: its state is the app connection's
      }
      if (States.of(connection) != null) {
        return;                         // made through an inner Driver or DataSource: guarded already
      }
      ConnectionFactory factory = ConnectionFactory.capture(source, arg0, arg1);
      if (factory != null) {
        States.attach(connection, new LogicalConnection(ctx, connection, factory));
      }
    } catch (Throwable t) {
      Log.debug("connguard: could not guard a new connection: " + t);
    }
  }
}
