package connguard.boot;

/**
 * The classes a loader has loaded already, found by name without loading anything. Public only
 * because {@link LoadedClassFinder}, defined by a class loader of its own (see
 * {@link LoadedClassLookup}), implements it.
 */
public interface LoadedClasses {
  /** Finds nothing: supertypes then always come from their class files. */
  LoadedClasses NONE = new LoadedClasses() {
    @Override public Class<?> find(ClassLoader loader, String binaryName) {
      return null;
    }
  };

  /** The class {@code loader} has loaded under {@code binaryName}, or null (not yet, or not known). */
  Class<?> find(ClassLoader loader, String binaryName);
}
