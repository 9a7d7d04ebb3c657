package connguard.heal.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A forwarded call runs the method of the interface its target implements. Before, the first
 * interface indexed won: {@code isClosed()} on a re-created statement called Connection.isClosed
 * and threw "object is not an instance of declaring class" (Hibernate releasing a statement).
 */
class InvokerTest {
  private static final List<Class<?>> WOVEN = Arrays.<Class<?>>asList(
      Connection.class, Statement.class, PreparedStatement.class, CallableStatement.class);

  /** Every method name and parameter list declared by more than one woven interface family. */
  private static Map<String, Set<Class<?>>> sharedKeys() {
    Map<String, Set<Class<?>>> owners = new LinkedHashMap<String, Set<Class<?>>>();
    for (Class<?> type : WOVEN) {
      for (Method m : type.getMethods()) {
        Set<Class<?>> set = owners.get(Invoker.key(m));
        if (set == null) {
          set = new LinkedHashSet<Class<?>>();
          owners.put(Invoker.key(m), set);
        }
        set.add(type);
      }
    }
    Map<String, Set<Class<?>>> shared = new LinkedHashMap<String, Set<Class<?>>>();
    for (Map.Entry<String, Set<Class<?>>> e : owners.entrySet()) {
      if (e.getValue().contains(Connection.class) && e.getValue().size() > 1) {
        shared.put(e.getKey(), e.getValue());
      }
    }
    return shared;
  }

  @Test void theSharedNamesAreTheOnesThatBrokeHibernate() {
    Set<String> shared = sharedKeys().keySet();
    for (String name : new String[] {"isClosed()", "close()", "getWarnings()", "clearWarnings()",
        "unwrap(Ljava/lang/Class;)", "isWrapperFor(Ljava/lang/Class;)"}) {
      assertTrue(shared.contains(name), name + " in " + shared);
    }
  }

  @Test void everySharedMethodResolvesToAnInterfaceTheTargetImplements() {
    for (Map.Entry<String, Set<Class<?>>> e : sharedKeys().entrySet()) {
      for (Class<?> type : e.getValue()) {
        Method m = Invoker.resolve(type, e.getKey() + "V");
        assertTrue(m.getDeclaringClass().isAssignableFrom(type),
            e.getKey() + " on " + type.getSimpleName() + " resolved to " + m);
      }
    }
  }

  @Test void everyMethodOfEveryWovenInterfaceResolvesOnIt() {
    for (Class<?> type : WOVEN) {
      for (Method m : type.getMethods()) {
        Method resolved = Invoker.resolve(type, Invoker.key(m) + "Ljava/lang/Object;");
        assertEquals(m.getName(), resolved.getName());
        assertTrue(resolved.getDeclaringClass().isAssignableFrom(type), m + " -> " + resolved);
      }
    }
  }

  @Test void aStatementMethodIsNotFoundOnAConnection() {
    assertThrows(IllegalStateException.class, () -> Invoker.resolve(Connection.class, "executeQuery()"));
  }

  @Test void isClosedOnAPreparedStatementRunsTheStatementsMethod() throws Throwable {
    List<Method> called = new ArrayList<Method>();
    Object statement = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
        (proxy, method, args) -> {
          called.add(method);
          return method.getName().equals("isClosed") ? Boolean.FALSE : null;
        });
    assertFalse((Boolean) Invoker.invoke(statement, "isClosed()Z", null));
    Invoker.invoke(statement, "clearWarnings()V", null);
    assertEquals(Statement.class, called.get(0).getDeclaringClass());
    assertEquals(Statement.class, called.get(1).getDeclaringClass());
  }
}
