package connguard.boot;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Copies the {@code connguard.bridge} classes into a temporary jar and appends it to the bootstrap
 * class path. Must run before anything loads a bridge class through the system loader, or the
 * JVM would hold two copies and advice would call the one the agent never configured.
 */
final class BootstrapBridge {
  static final String[] CLASSES = {
      "Hooks", "Dispatcher", "Guarded", "Skip", "Failure", "MethodKind"};

  private BootstrapBridge() {}

  static void inject(Instrumentation inst) throws IOException {
    File jar = File.createTempFile("connguard-bridge-", ".jar");
    jar.deleteOnExit();
    ClassLoader agentLoader = BootstrapBridge.class.getClassLoader();
    try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar))) {
      for (String name : CLASSES) {
        String path = "connguard/bridge/" + name + ".class";
        try (InputStream in = agentLoader.getResourceAsStream(path)) {
          if (in == null) {
            throw new IOException("agent jar lacks " + path);
          }
          out.putNextEntry(new JarEntry(path));
          byte[] buffer = new byte[8192];
          for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
          }
          out.closeEntry();
        }
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
