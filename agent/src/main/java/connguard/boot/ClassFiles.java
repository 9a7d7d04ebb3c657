package connguard.boot;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Class files as bytes: the agent never loads a class to look at it.
 *
 * <p>Where the agent knows where a class file lives it reads it there: a loader's
 * {@code getResourceAsStream} asks every parent first (the runtime image, then the platform
 * loader) and opens a URL connection per file, which at start-up cost ~8 ms for the six bridge
 * classes alone on a small machine.
 */
final class ClassFiles {
  private ClassFiles() {}

  /** The class file of {@code internalName} as {@code loader} (null: the system loader) finds it; null if none. */
  static byte[] read(ClassLoader loader, String internalName) throws IOException {
    String path = internalName + ".class";
    InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(path) : loader.getResourceAsStream(path);
    return in == null ? null : readAll(in);
  }

  /**
   * The class file of a JDK class, from its own module: {@code Class.getResourceAsStream} of a
   * class in a named module reads that module directly (Java 8: the boot class path).
   */
  static byte[] ofJdkClass(Class<?> type) throws IOException {
    String name = type.getName();
    InputStream in = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class");
    return in == null ? read(null, name.replace('.', '/')) : readAll(in);
  }

  /**
   * Class files that ship beside {@code anchor} (the agent's jar, or its classes directory in a
   * build), by internal name, in the order asked; through {@code anchor}'s loader when its code
   * source is unknown. Fails if one is missing.
   */
  static Map<String, byte[]> besides(Class<?> anchor, String... internalNames) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    File source = codeSourceOf(anchor);
    if (source != null && source.isFile()) {
      ZipFile jar = new ZipFile(source);           // the JVM has it open: its directory is shared
      try {
        for (String name : internalNames) {
          ZipEntry entry = jar.getEntry(name + ".class");
          if (entry != null) {
            classes.put(name, readAll(jar.getInputStream(entry)));
          }
        }
      } finally {
        jar.close();
      }
    } else if (source != null && source.isDirectory()) {
      for (String name : internalNames) {
        File file = new File(source, name + ".class");
        if (file.isFile()) {
          classes.put(name, readAll(new FileInputStream(file)));
        }
      }
    } else {
      for (String name : internalNames) {
        byte[] bytes = read(anchor.getClassLoader(), name);
        if (bytes != null) {
          classes.put(name, bytes);
        }
      }
    }
    for (String name : internalNames) {
      if (!classes.containsKey(name)) {
        throw new IOException("no class file " + name + ".class beside " + anchor.getName());
      }
    }
    return classes;
  }

  private static File codeSourceOf(Class<?> anchor) {
    try {
      CodeSource source = anchor.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      return location == null || !"file".equals(location.getProtocol()) ? null : new File(location.toURI());
    } catch (Exception | LinkageError unknown) {
      return null;
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(in.available() > 0 ? in.available() : 4096);
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes.write(buffer, 0, n);
      }
      return bytes.toByteArray();
    } finally {
      in.close();
    }
  }
}
