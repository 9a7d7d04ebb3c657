package connguard.boot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Which methods of a class implement a java.sql interface method: by name and parameter types
 * against the interfaces the class really implements. One hierarchy walk per class instead of
 * Byte Buddy's isOverriddenFrom walk per method, which made the first pgjdbc connection take
 * seconds longer.
 */
final class JdbcSignatures {
  private static final Map<String, Set<String>> BY_INTERFACE = new HashMap<String, Set<String>>();

  static {
    Class<?>[] interfaces = {java.sql.Connection.class, java.sql.Statement.class, java.sql.PreparedStatement.class,
        java.sql.CallableStatement.class, java.sql.ResultSet.class, java.sql.Wrapper.class, AutoCloseable.class};
    for (Class<?> type : interfaces) {
      Set<String> signatures = new HashSet<String>();
      for (Method m : type.getMethods()) {
        if (!Modifier.isStatic(m.getModifiers())) {
          signatures.add(signature(m));
        }
      }
      BY_INTERFACE.put(type.getName(), signatures);
    }
  }

  private JdbcSignatures() {}

  /** The java.sql method signatures {@code type} implements ("name(params)"). */
  static Set<String> implementedBy(TypeDescription type) {
    Set<String> signatures = new HashSet<String>();
    collect(type, signatures, new HashSet<String>());
    return signatures;
  }

  private static void collect(TypeDefinition type, Set<String> signatures, Set<String> seen) {
    if (type == null || !seen.add(type.getTypeName())) {
      return;
    }
    Set<String> own = BY_INTERFACE.get(type.asErasure().getName());
    if (own != null) {
      signatures.addAll(own);
    }
    for (TypeDescription.Generic iface : type.getInterfaces()) {
      collect(iface, signatures, seen);
    }
    TypeDescription.Generic superClass = type.getSuperClass();
    if (superClass != null) {
      collect(superClass, signatures, seen);
    }
  }

  static boolean isWoven(MethodDescription m, Set<String> signatures) {
    return m.isPublic() && !m.isStatic() && !m.isAbstract() && !m.isBridge() && m.isMethod()
        && signatures.contains(signature(m));
  }

  private static String signature(Method m) {
    StringBuilder s = new StringBuilder(m.getName()).append('(');
    for (Class<?> p : m.getParameterTypes()) {
      s.append(p.getName()).append(',');
    }
    return s.append(')').toString();
  }

  private static String signature(MethodDescription m) {
    StringBuilder s = new StringBuilder(m.getInternalName()).append('(');
    for (TypeDescription p : m.getParameters().asTypeList().asErasures()) {
      s.append(p.getName()).append(',');
    }
    return s.append(')').toString();
  }
}
