package connguard.boot;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

/**
 * The transformer the JVM calls for every class. It lets through only classes whose bytes mention
 * {@code java/sql/}, and builds Byte Buddy on the first one: a JVM that never touches JDBC pays a
 * byte scan per class, not Byte Buddy's start-up. The first JDBC class is woven in the same call,
 * so the trigger itself is not missed.
 */
final class JdbcClassFilter implements ClassFileTransformer {
  private static final byte[] MARKER = {'j', 'a', 'v', 'a', '/', 's', 'q', 'l', '/'};
  private static final String HIKARI_CONFIG = Weaver.HIKARI_CONFIG.replace('.', '/');

  private final Weaver.Factory weaverFactory;
  private volatile ClassFileTransformer weaver;          // classes being defined: may gain a field
  private volatile ClassFileTransformer loadedWeaver;    // classes retransformed on attach: shape frozen
  private volatile boolean failed;

  JdbcClassFilter(Weaver.Factory weaverFactory) {
    this.weaverFactory = weaverFactory;
  }

  @Override
  public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                          byte[] bytes) throws IllegalClassFormatException {
    if (loader == null || name == null || failed || isPlatformOrOurs(name)
        || !(contains(bytes, MARKER) || name.equals(HIKARI_CONFIG))) {
      return null;
    }
    ClassFileTransformer w = weaver(redefined != null);
    return w == null ? null : w.transform(loader, name, redefined, domain, bytes);
  }

  private ClassFileTransformer weaver(boolean loadedBefore) {
    ClassFileTransformer w = loadedBefore ? loadedWeaver : weaver;
    if (w == null) {
      synchronized (this) {
        w = loadedBefore ? loadedWeaver : weaver;
        if (w == null && !failed) {
          try {
            w = weaverFactory.create(loadedBefore);
            if (loadedBefore) {
              loadedWeaver = w;
            } else {
              weaver = w;
            }
          } catch (Throwable t) {
            failed = true;
            System.err.println("connguard: could not start the weaver, the application runs unguarded: " + t);
          }
        }
      }
    }
    return w;
  }

  /** The agent's own packages, exactly: an app may well have packages named connguard.something. */
  private static final String[] OURS = {
      "connguard/boot/", "connguard/bridge/", "connguard/advice/", "connguard/config/", "connguard/classify/",
      "connguard/policy/", "connguard/heal/", "connguard/stats/", "connguard/log/", "connguard/cli/",
      "connguard/shaded/"};

  /** Never woven: the JDK (including JDK dynamic proxies) and the agent itself. Internal names. */
  static boolean isPlatformOrOurs(String name) {
    if (name.startsWith("java/") || name.startsWith("javax/") || name.startsWith("jdk/")
        || name.startsWith("sun/") || name.startsWith("com/sun/")) {
      return true;
    }
    if (name.startsWith("connguard/")) {
      for (String ours : OURS) {
        if (name.startsWith(ours)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean contains(byte[] bytes, byte[] marker) {
    int last = bytes.length - marker.length;
    byte first = marker[0];
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < marker.length; j++) {
        if (bytes[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
