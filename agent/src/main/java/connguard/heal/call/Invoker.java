package connguard.heal.call;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls a woven method, named as the advice saw it ("name(descriptor)return"), on another object:
 * the replacement of a dead connection or statement. Resolved through the java.sql interfaces, so
 * it works for any driver class, public or not. Slow path only: after a heal, or while forwarding.
 *
 * <p>A name and parameter list can belong to several interfaces ({@code isClosed()},
 * {@code close()}, {@code getWarnings()} are on both Connection and Statement): the method is the
 * one of an interface the target implements, never the first one indexed.
 */
public final class Invoker {
  private static final Map<String, Method[]> METHODS = index(
      Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class,
      Wrapper.class, AutoCloseable.class);

  private Invoker() {}

  /** Runs the call; throws what the target threw (not wrapped). */
  public static Object invoke(Object target, String method, Object[] args) throws Throwable {
    Method m = resolve(target.getClass(), method);
    OwnCalls.enter();
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      OwnCalls.exit();
    }
  }

  /** The java.sql method {@code method} names, as declared by an interface {@code type} implements. */
  static Method resolve(Class<?> type, String method) {
    Method[] candidates = METHODS.get(withoutReturnType(method));
    if (candidates != null) {
      for (Method m : candidates) {
        if (m.getDeclaringClass().isAssignableFrom(type)) {
          return m;
        }
      }
    }
    throw new IllegalStateException("connguard: no java.sql method " + method + " on " + type.getName());
  }

  // A driver may narrow a return type (covariance); parameters identify the method.
  private static String withoutReturnType(String method) {
    int close = method.indexOf(')');
    return close < 0 ? method : method.substring(0, close + 1);
  }

  private static Map<String, Method[]> index(Class<?>... types) {
    Map<String, List<Method>> lists = new HashMap<String, List<Method>>();
    for (Class<?> type : types) {
      for (Method m : type.getMethods()) {
        String key = key(m);
        List<Method> list = lists.get(key);
        if (list == null) {
          list = new ArrayList<Method>();
          lists.put(key, list);
        }
        if (!list.contains(m)) {
          list.add(m);
        }
      }
    }
    Map<String, Method[]> map = new HashMap<String, Method[]>();
    for (Map.Entry<String, List<Method>> e : lists.entrySet()) {
      map.put(e.getKey(), e.getValue().toArray(new Method[0]));
    }
    return map;
  }

  /** "name(descriptors)": how the advice names a method, without its return type. */
  static String key(Method m) {
    StringBuilder key = new StringBuilder(m.getName()).append('(');
    for (Class<?> p : m.getParameterTypes()) {
      key.append(descriptor(p));
    }
    return key.append(')').toString();
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
