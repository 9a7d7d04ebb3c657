package connguard.boot;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the {@code connguard.bridge} classes into the bootstrap loader. Must run before anything
 * loads a bridge class through the system loader, or the JVM would hold two copies and advice
 * would call the one the agent never configured.
 *
 * <p>Appending a jar to the bootstrap search path makes HotSpot print "Sharing is only supported
 * for boot loader classes because bootstrap classpath has been appended" in every app, and turns
 * class-data sharing off for app classes. On Java 9+ the classes are instead defined directly in
 * the bootstrap loader ({@code jdk.internal.misc.Unsafe.defineClass} with a null loader, opened to
 * us through {@code Instrumentation.redefineModule}: no warning, no {@code sun.misc.Unsafe}). The
 * jar append remains for Java 8 and for a JDK where that path is gone.
 */
final class BootstrapBridge {
  /** In dependency order: a class is defined after the types it extends or implements. */
  static final String[] CLASSES = {"Skip", "Failure", "MethodKind", "Guarded", "Dispatcher", "Hooks"};

  private BootstrapBridge() {}

  static void inject(Instrumentation inst) throws IOException {
    Map<String, byte[]> classes = readClasses();
    try {
      defineInBootstrap(inst, classes);
    } catch (Throwable notAvailable) {
      appendJar(inst, classes);
    }
  }

  private static Map<String, byte[]> readClasses() throws IOException {
    String[] internalNames = new String[CLASSES.length];
    for (int i = 0; i < CLASSES.length; i++) {
      internalNames[i] = "connguard/bridge/" + CLASSES[i];
    }
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    for (Map.Entry<String, byte[]> c : ClassFiles.besides(BootstrapBridge.class, internalNames).entrySet()) {
      classes.put(c.getKey().replace('/', '.'), c.getValue());
    }
    return classes;
  }

  /** Java 9+ only; every call is reflective because the agent is compiled for Java 8. */
  private static void defineInBootstrap(Instrumentation inst, Map<String, byte[]> classes) throws Exception {
    JavaBase.export(inst, "jdk.internal.misc", BootstrapBridge.class);
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
    Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, ProtectionDomain.class);
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      if (isDefinedInBootstrap(c.getKey())) {
        continue;                     // attached twice: keep the first copy, the advice links to it
      }
      define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
    }
  }

  private static boolean isDefinedInBootstrap(String name) {
    try {
      Class.forName(name, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void appendJar(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
    File jar = File.createTempFile("connguard-bridge-", ".jar");
    jar.deleteOnExit();
    JarOutputStream out = new JarOutputStream(new FileOutputStream(jar));
    try {
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        out.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
        out.write(c.getValue());
        out.closeEntry();
      }
    } finally {
      out.close();
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
