package connguard.boot;

import connguard.log.Log;
import java.lang.instrument.Instrumentation;

/**
 * Makes the {@link LoadedClasses} the weaver asks before it reads a supertype's class file: in a
 * Spring Boot JPA app 150 of the 244 supertypes it still read had been loaded already, and a read
 * goes through the loader's parents (the JDK image searched for every name) before the jars.
 *
 * <p>{@code findLoadedClass} is protected, and on Java 9+ reflection on it needs {@code java.lang}
 * opened. It is opened only to the unnamed module of a class loader of our own, which defines one
 * class ({@link LoadedClassFinder}) and is never handed out: the system loader's unnamed module,
 * where the agent's other classes and the whole app class path live, stays as closed as it was.
 * Anything failing here leaves {@link LoadedClasses#NONE}: class files only, as before.
 */
final class LoadedClassLookup {
  private static final String FINDER = "connguard/boot/LoadedClassFinder";

  private LoadedClassLookup() {}

  static LoadedClasses open(Instrumentation inst) {
    try {
      byte[] bytes = ClassFiles.besides(LoadedClassLookup.class, FINDER).get(FINDER);
      Class<?> finder = new OwnLoader(LoadedClassLookup.class.getClassLoader()).define(FINDER.replace('/', '.'), bytes);
      if (JavaBase.isModular()) {
        JavaBase.open(inst, "java.lang", finder);    // Java 8 has nothing to open
      }
      return (LoadedClasses) finder.getConstructor().newInstance();
    } catch (Throwable t) {
      Log.debug("connguard: supertypes come from class files only (" + t + ")");
      return LoadedClasses.NONE;
    }
  }

  /** Defines the finder, and nothing else; every other name goes to the agent's loader. */
  private static final class OwnLoader extends ClassLoader {
    OwnLoader(ClassLoader agentLoader) {
      super(agentLoader);
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
