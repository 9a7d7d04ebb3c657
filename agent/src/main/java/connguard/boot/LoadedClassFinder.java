package connguard.boot;

import java.lang.reflect.Method;

/**
 * {@code ClassLoader.findLoadedClass}, which is protected: a lookup in the JVM's table of the
 * loader, no class loaded, no loader lock taken, so a transformer may call it. Defined only by
 * {@link LoadedClassLookup}'s own loader, the one module {@code java.lang} is opened to.
 */
public final class LoadedClassFinder implements LoadedClasses {
  private final Method findLoadedClass;

  public LoadedClassFinder() throws NoSuchMethodException {
    findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
    findLoadedClass.setAccessible(true);
  }

  @Override public Class<?> find(ClassLoader loader, String binaryName) {
    try {
      return (Class<?>) findLoadedClass.invoke(loader, binaryName);
    } catch (Exception e) {
      return null;                                  // not known: the class file is read instead
    }
  }
}
