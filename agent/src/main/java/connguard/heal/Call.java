package connguard.heal;

/** A recorded JDBC call (method as the advice names it, and its arguments) to be made again. */
final class Call {
  final String method;
  final Object[] args;

  Call(String method, Object[] args) {
    this.method = method;
    this.args = args == null ? new Object[0] : args;
  }

  Object invokeOn(Object target) throws Throwable {
    return Invoker.invoke(target, method, args);
  }
}
