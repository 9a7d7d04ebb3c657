package connguard.heal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls a woven method, named as the advice saw it ("name(descriptor)return"), on another object:
 * the replacement of a dead connection or statement. Resolved through the java.sql interfaces, so
 * it works for any driver class, public or not. Slow path only: after a heal, or while forwarding.
 */
final class Invoker {
  private static final Map<String, Method> METHODS = index(
      Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class,
      Wrapper.class, AutoCloseable.class);

  private Invoker() {}

  /** Runs the call; throws what the target threw (not wrapped). */
  static Object invoke(Object target, String method, Object[] args) throws Throwable {
    Method m = METHODS.get(withoutReturnType(method));
    if (m == null) {
      throw new IllegalStateException("connguard: no java.sql method " + method);
    }
    Internal.enter();
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      Internal.exit();
    }
  }

  // A driver may narrow a return type (covariance); parameters identify the method.
  private static String withoutReturnType(String method) {
    int close = method.indexOf(')');
    return close < 0 ? method : method.substring(0, close + 1);
  }

  private static Map<String, Method> index(Class<?>... types) {
    Map<String, Method> map = new HashMap<String, Method>();
    for (Class<?> type : types) {
      for (Method m : type.getMethods()) {
        StringBuilder key = new StringBuilder(m.getName()).append('(');
        for (Class<?> p : m.getParameterTypes()) {
          key.append(descriptor(p));
        }
        key.append(')');
        if (!map.containsKey(key.toString())) {
          map.put(key.toString(), m);
        }
      }
    }
    return map;
  }

  static String descriptor(Class<?> type) {
    if (type.isArray()) {
      return type.getName().replace('.', '/');
    }
    if (type.isPrimitive()) {
      if (type == int.class) return "I";
      if (type == long.class) return "J";
      if (type == boolean.class) return "Z";
      if (type == byte.class) return "B";
      if (type == short.class) return "S";
      if (type == char.class) return "C";
      if (type == float.class) return "F";
      if (type == double.class) return "D";
      return "V";
    }
    return "L" + type.getName().replace('.', '/') + ";";
  }
}
