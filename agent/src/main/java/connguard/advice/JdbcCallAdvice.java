package connguard.advice;

import connguard.bridge.Failure;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.bridge.Skip;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into every method of a Connection or Statement class that implements a java.sql method
 * (parameter setters of the shape {@code setX(int, value)} get {@link LongParameterAdvice} and its
 * siblings instead). The app sees only its own outcome: its result, its own exception, or a
 * successful retry's result.
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
                          @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object arg0,
                          @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                          @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (token != null) {
      if (thrown == null && !(token instanceof Skip) && (kind & MethodKind.EXIT_ON_SUCCESS) == 0) {
        // Byte Buddy builds the argument array and boxes at each read: kind is a constant, so
        // the success path of a getter or execute(sql) allocates nothing.
        Hooks.succeeded(self, kind, method, token, (kind & MethodKind.NEEDS_ARGS) != 0 ? args : null,
            (kind & MethodKind.NEEDS_ARG0) != 0 ? arg0 : null, (kind & MethodKind.NEEDS_RESULT) != 0 ? result : null);
        return;
      }
      Object outcome = Hooks.exit(self, kind, method, token, args, result, thrown);
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
