package connguard.boot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.objectweb.asm.ClassReader;

/**
 * Every supertype (internal names, the class itself included) of a class being defined, read from
 * class files: a transformer must not load classes (it would define them unwoven, or deadlock on a
 * loader's lock). The driver's own types come from its loader's {@code getResource}; the JDK's
 * {@code java.sql} and {@code javax.sql} interfaces from the JDK itself; other JDK types implement
 * nothing of JDBC and end the walk.
 *
 * <p>Parsed headers are kept per loader in a weak map: supertypes (a driver's base classes) are
 * read once, not once per class woven, and a webapp's loader is not kept alive by the agent.
 */
final class TypeHierarchy {
  /** A supertype has no class file to read: a class generated at run time. */
  static final class Unresolvable extends Exception {
    Unresolvable(String type) {
      super("cannot read the class file of " + type.replace('/', '.'));
    }
  }

  /** Header of a class: [0] its superclass (null for Object), then its interfaces. */
  private final Map<ClassLoader, Map<String, String[]>> headers = new WeakHashMap<ClassLoader, Map<String, String[]>>();
  private final LoadedClasses loaded;

  /** @param loaded asked before a class file is read: a loaded supertype's header comes from the JVM */
  TypeHierarchy(LoadedClasses loaded) {
    this.loaded = loaded;
  }

  /**
   * Keeps the header of a class being defined ({@code reader}, read anyway) for its subclasses,
   * which often come later: in a Spring Boot JPA app 73 of the 317 supertypes the agent needed
   * had passed the filter themselves, each a class file it no longer reads through the loader.
   */
  void remember(ClassLoader loader, ClassReader reader) {
    String[] header = header(reader);
    synchronized (headers) {
      Map<String, String[]> known = knownTo(loader);
      if (!known.containsKey(reader.getClassName())) {
        known.put(reader.getClassName(), header);
      }
    }
  }

  /** The class being defined ({@code reader}) and all its supertypes. */
  Set<String> supertypesOf(ClassLoader loader, ClassReader reader) throws Unresolvable {
    Set<String> all = new LinkedHashSet<String>();
    all.add(reader.getClassName());
    List<String> pending = new ArrayList<String>();
    Collections.addAll(pending, header(reader));
    for (int i = 0; i < pending.size() && i < 10_000; i++) {
      String type = pending.get(i);
      if (type != null && all.add(type)) {       // null: Object's superclass
        Collections.addAll(pending, headerOf(loader, type));
      }
    }
    return all;
  }

  /** [0] the superclass, then the interfaces, as the class file names them. */
  static String[] header(ClassReader reader) {
    String[] interfaces = reader.getInterfaces();
    String[] header = new String[interfaces.length + 1];
    header[0] = reader.getSuperName();
    System.arraycopy(interfaces, 0, header, 1, interfaces.length);
    return header;
  }

  private String[] headerOf(ClassLoader loader, String type) throws Unresolvable {
    if (type.startsWith("java/") || type.startsWith("javax/")) {
      return jdkHeader(type);
    }
    Map<String, String[]> known;
    synchronized (headers) {
      known = knownTo(loader);
      String[] header = known.get(type);
      if (header != null) {
        return header;
      }
    }
    String[] header = loadedHeader(loader, type);
    if (header == null) {
      header = readHeader(loader, type);
    }
    synchronized (headers) {
      known.put(type, header);
    }
    return header;
  }

  /** The headers kept for {@code loader}; the caller holds the lock of {@link #headers}. */
  private Map<String, String[]> knownTo(ClassLoader loader) {
    Map<String, String[]> known = headers.get(loader);
    if (known == null) {
      known = new HashMap<String, String[]>();
      headers.put(loader, known);
    }
    return known;
  }

  /** The header of {@code type} as {@code loader} has loaded it, as its class file says it; null if not loaded yet. */
  String[] loadedHeader(ClassLoader loader, String type) {
    Class<?> c = loaded.find(loader, type.replace('/', '.'));
    if (c == null) {
      return null;
    }
    Class<?>[] interfaces = c.getInterfaces();
    List<String> header = new ArrayList<String>(interfaces.length + 1);
    // The class file of an interface names Object as its superclass; reflection says null.
    Class<?> superclass = c.getSuperclass();
    header.add(c.isInterface() ? "java/lang/Object" : superclass == null ? null : internalName(superclass));
    for (Class<?> i : interfaces) {
      String name = internalName(i);
      if (!name.equals(GuardingClassVisitor.GUARDED)) {     // ours, added when woven: not in its class file
        header.add(name);
      }
    }
    return header.toArray(new String[0]);
  }

  private static String internalName(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static String[] readHeader(ClassLoader loader, String type) throws Unresolvable {
    try {
      byte[] bytes = ClassFiles.read(loader, type);
      if (bytes == null) {
        throw new Unresolvable(type);
      }
      return header(new ClassReader(bytes));
    } catch (IOException | RuntimeException e) {
      throw new Unresolvable(type);
    }
  }

  /** JDBC's own interfaces extend each other (javax.sql.RowSet is a ResultSet); the rest of the JDK is a leaf. */
  private static String[] jdkHeader(String type) {
    if (!type.startsWith("java/sql/") && !type.startsWith("javax/sql/")) {
      return new String[] {null};
    }
    try {
      Class<?> c = Class.forName(type.replace('/', '.'), false, TypeHierarchy.class.getClassLoader());
      Class<?>[] interfaces = c.getInterfaces();
      String[] header = new String[interfaces.length + 1];
      header[0] = c.getSuperclass() == null ? null : c.getSuperclass().getName().replace('.', '/');
      for (int i = 0; i < interfaces.length; i++) {
        header[i + 1] = interfaces[i].getName().replace('.', '/');
      }
      return header;
    } catch (Throwable absent) {
      return new String[] {null};         // not in this JDK: nothing can implement it either
    }
  }
}
