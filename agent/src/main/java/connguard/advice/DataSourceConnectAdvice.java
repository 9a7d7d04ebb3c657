package connguard.advice;

import connguard.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Woven into {@code getConnection()} and {@code getConnection(user, password)} of a driver's own
 * DataSource (one that bypasses {@code Driver.connect}, as H2's and MariaDB's do).
 */
public final class DataSourceConnectAdvice {
  private DataSourceConnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter() {
    Hooks.connecting();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object dataSource,
                          @Advice.Argument(value = 0, optional = true) Object user,
                          @Advice.Argument(value = 1, optional = true) Object password,
                          @Advice.Return Object connection) {
    Hooks.connected(connection, dataSource, user, password);   // null when it threw: unwinds the nesting
  }
}
