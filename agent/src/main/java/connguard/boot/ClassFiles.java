package connguard.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Class files as bytes, read from a loader's resources: the agent never loads a class to look at it. */
final class ClassFiles {
  private ClassFiles() {}

  /** The class file of {@code internalName} as {@code loader} (null: the system loader) finds it; null if none. */
  static byte[] read(ClassLoader loader, String internalName) throws IOException {
    String path = internalName + ".class";
    InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(path) : loader.getResourceAsStream(path);
    if (in == null) {
      return null;
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
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
