package connguard.advice;

import connguard.bridge.Failure;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.bridge.Skip;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into every method of a Connection or Statement class that implements a java.sql method.
 * The app sees only its own outcome: its result, its own exception, or a successful retry's result.
 */
public final class JdbcCallAdvice {
  private JdbcCallAdvice() {}

  @Advice.OnMethodEnter(skipOn = Skip.class, suppress = Throwable.class)
  public static Object enter(@Advice.This Object self, @Kind int kind) {
    return Hooks.enter(self, kind);   // null: not guarded; Skip: forward or refuse; else a token
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object self, @Kind int kind,
                          @Advice.Origin("#m#d") String method, @Advice.Enter Object token,
                          @Advice.AllArguments Object[] args,
                          @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                          @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (token != null) {
      // Arguments and a boxed result are built only where read: the success path of a getter
      // or an execute allocates nothing (kind is a constant, so the JIT folds the test).
      boolean full = thrown != null || token instanceof Skip;
      Object outcome = Hooks.exit(self, kind, method, token,
          full || (kind & MethodKind.NEEDS_ARGS) != 0 ? args : null,
          full || (kind & MethodKind.NEEDS_RESULT) != 0 ? result : null, thrown);
      if (outcome != Hooks.UNCHANGED) {
        if (outcome instanceof Failure) {
          thrown = ((Failure) outcome).cause;
        } else {
          result = outcome;
          thrown = null;
        }
      }
    }
  }
}
