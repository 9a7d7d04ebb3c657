package connguard.boot;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Widens {@code java.base} for one module of the agent's, through
 * {@code Instrumentation.redefineModule}. Java 9+ only; every call is reflective because the
 * agent is compiled for Java 8, where there is nothing to widen.
 */
final class JavaBase {
  private JavaBase() {}

  /** Java 9+: packages of java.base are closed to the agent unless widened. */
  static boolean isModular() {
    try {
      Class.forName("java.lang.Module");
      return true;
    } catch (ClassNotFoundException java8) {
      return false;
    }
  }

  /** Exports {@code pkg} to the module of {@code to}: its public types become usable there. */
  static void export(Instrumentation inst, String pkg, Class<?> to) throws Exception {
    redefine(inst, Collections.singletonMap(pkg, moduleOf(to)), Collections.emptyMap());
  }

  /** Opens {@code pkg} to the module of {@code to}: reflection there may reach its private members. */
  static void open(Instrumentation inst, String pkg, Class<?> to) throws Exception {
    redefine(inst, Collections.emptyMap(), Collections.singletonMap(pkg, moduleOf(to)));
  }

  private static Set<Object> moduleOf(Class<?> type) throws Exception {
    return Collections.singleton(Class.class.getMethod("getModule").invoke(type));
  }

  private static void redefine(Instrumentation inst, Map<String, Set<Object>> exports, Map<String, Set<Object>> opens)
      throws Exception {
    Class<?> moduleType = Class.forName("java.lang.Module");
    Object javaBase = Class.class.getMethod("getModule").invoke(Object.class);
    Method redefineModule = Instrumentation.class.getMethod("redefineModule", moduleType, Set.class,
        Map.class, Map.class, Set.class, Map.class);
    redefineModule.invoke(inst, javaBase, Collections.emptySet(), exports, opens, Collections.emptySet(),
        Collections.emptyMap());
  }
}
