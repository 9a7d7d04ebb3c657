package connguard.advice;

import connguard.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Woven into {@code Driver.connect(String, Properties)}: every physical connection learns how to
 * make its replacement.
 */
public final class DriverConnectAdvice {
  private DriverConnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter() {
    Hooks.connecting();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object driver, @Advice.Argument(0) Object url,
                          @Advice.Argument(1) Object info, @Advice.Return Object connection) {
    Hooks.connected(connection, driver, url, info);   // null when connect threw: unwinds the nesting
  }
}
