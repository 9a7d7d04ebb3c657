package connguard.advice;

import connguard.bridge.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Woven into HikariCP's {@code HikariConfig.validate()}, which every pool runs once before it
 * starts: the agent learns how long the pool keeps idle connections (see PoolFit).
 */
public final class PoolConfigAdvice {
  private PoolConfigAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object config) {
    Hooks.poolConfigured(config);
  }
}
