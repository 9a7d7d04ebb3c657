package connguard.heal;

import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLXML;

/** A recorded JDBC call (method as the advice names it, and its arguments) to be made again. */
final class Call {
  final String method;
  final Object[] args;

  Call(String method, Object[] args) {
    this.method = method;
    this.args = args == null ? new Object[0] : args;
  }

  /** Can this argument be sent again? Not a stream or LOB handle: the first send consumed it. */
  static boolean canSendAgain(Object arg) {
    return !(arg instanceof InputStream || arg instanceof Reader || arg instanceof Blob || arg instanceof Clob
        || arg instanceof SQLXML);
  }

  Object invokeOn(Object target) throws Throwable {
    return Invoker.invoke(target, method, args);
  }
}
