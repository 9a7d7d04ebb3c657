package connguard.advice;

import connguard.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/** Woven into {@code Driver.connect(String, Properties)}: every physical connection learns how to make a twin. */
public final class DriverConnectAdvice {
  private DriverConnectAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object driver, @Advice.Argument(0) Object url,
                          @Advice.Argument(1) Object info, @Advice.Return Object connection) {
    if (connection != null) {
      Hooks.connected(connection, driver, url, info);
    }
  }
}
