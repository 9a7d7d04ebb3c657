package connguard.metrics;

/** The app's classes, looked up in its class loader: the first of a library tells whether it has it. */
final class AppClasses {
  private AppClasses() {}

  /** The class, initialized, or null when the app's loader has no such class (nor a parent of it). */
  static Class<?> find(String name, ClassLoader loader) {
    try {
      return Class.forName(name, true, loader);
    } catch (ClassNotFoundException absent) {
      return null;
    }
  }
}
