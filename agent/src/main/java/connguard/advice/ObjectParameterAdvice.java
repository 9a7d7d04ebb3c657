package connguard.advice;

import connguard.bridge.Failure;
import connguard.bridge.Hooks;
import connguard.bridge.Skip;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven into parameter setters {@code setX(int index, value)} whose value is a reference,
 * or a boolean (boxing a boolean allocates nothing: Boolean.valueOf is cached).
 * Records the parameter without an argument array or a box: every setInt of a hot loop passes here.
 * Failures and forwarded calls take the general path with all arguments, as in {@link JdbcCallAdvice}.
 */
public final class ObjectParameterAdvice {
  private ObjectParameterAdvice() {}

  @Advice.OnMethodEnter(skipOn = Skip.class, suppress = Throwable.class)
  public static Object enter(@Advice.This Object self, @Kind int kind) {
    return Hooks.enter(self, kind);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This Object self, @Kind int kind,
                          @Advice.Origin("#m#d") String method, @Advice.Enter Object token,
                          @Advice.Argument(0) int index, @Advice.Argument(value = 1, typing = Assigner.Typing.DYNAMIC) Object value,
                          @Advice.AllArguments Object[] args, @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (token != null) {
      if (thrown == null && !(token instanceof Skip)) {
        Hooks.parameterSet(self, method, index, 0, value);
        return;
      }
      Object outcome = Hooks.exit(self, kind, method, token, args, null, thrown);   // setters are void
      if (outcome instanceof Failure) {
        thrown = ((Failure) outcome).cause;
      } else if (outcome != Hooks.UNCHANGED) {
        thrown = null;
      }
    }
  }
}
