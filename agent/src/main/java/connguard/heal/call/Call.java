package connguard.heal.call;

import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLXML;

/** A recorded JDBC call (method as the advice names it, and its arguments) to be made again. */
public final class Call {
  public final String method;
  public final Object[] args;

  public Call(String method, Object[] args) {
    this.method = method;
    this.args = args == null ? new Object[0] : args;
  }

  /** Can this argument be sent again? Not a stream or LOB handle: the first send consumed it. */
  public static boolean canSendAgain(Object arg) {
    return !(arg instanceof InputStream || arg instanceof Reader || arg instanceof Blob || arg instanceof Clob
        || arg instanceof SQLXML);
  }

  public Object invokeOn(Object target) throws Throwable {
    return Invoker.invoke(target, method, args);
  }
}
