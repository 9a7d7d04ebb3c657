package connguard.boot;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The transformer the JVM calls for every class. It lets through only classes whose bytes mention
 * {@code java/sql/}, and starts the guard on the first one: a JVM that never touches JDBC pays a
 * byte scan per class, nothing more. The first JDBC class is woven in the same call, so the
 * trigger itself is not missed.
 *
 * <p>Classes being defined go to {@link DefinitionWeaver}; a class retransformed later goes back
 * to it if it wove the class (the same shape again), else to {@link RetransformWeaver} (loaded
 * before the agent: shape frozen), which is built only when such a class first comes.
 */
final class JdbcClassFilter implements ClassFileTransformer {
  /** In every class file that names a java.sql type. */
  static final BytePattern MARKER = new BytePattern("java/sql/");

  /** Builds the weavers lazily. */
  interface Weavers {
    /** For classes being defined. */
    DefinitionWeaver forDefinition() throws Exception;

    /** For classes loaded before the agent, retransformed. */
    ClassFileTransformer forRetransformation() throws Exception;
  }

  /**
   * Every class the JVM handed to a filter, JDK and app, defined or retransformed: how fast the
   * app still loads classes (the guard's start-up wait), without starting java.management for it.
   */
  private static final AtomicLong SEEN = new AtomicLong();

  private final Weavers weavers;
  private volatile DefinitionWeaver definitionWeaver;
  private volatile ClassFileTransformer retransformWeaver;
  private volatile boolean failed;

  JdbcClassFilter(Weavers weavers) {
    this.weavers = weavers;
  }

  @Override
  public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                          byte[] bytes) throws IllegalClassFormatException {
    SEEN.incrementAndGet();
    if (loader == null || name == null || failed || isPlatformOrOurs(name)
        || !(MARKER.isIn(bytes) || name.equals(WeavePlan.HIKARI_CONFIG))) {
      return null;
    }
    DefinitionWeaver defining = (DefinitionWeaver) weaver(true);
    ClassFileTransformer w = redefined == null || (defining != null && defining.wove(loader, name))
        ? defining : (ClassFileTransformer) weaver(false);
    return w == null ? null : w.transform(loader, name, redefined, domain, bytes);
  }

  /** How many classes the JVM has handed to the filter so far. */
  static LongSupplier classesSeen() {
    return new LongSupplier() {
      @Override public long getAsLong() {
        return SEEN.get();
      }
    };
  }

  /** The weaver for classes being defined, or for retransformed ones; null if it could not start. */
  private Object weaver(boolean forDefinition) {
    Object w = forDefinition ? definitionWeaver : retransformWeaver;
    if (w == null) {
      synchronized (this) {
        w = forDefinition ? definitionWeaver : retransformWeaver;
        if (w == null && !failed) {
          try {
            if (forDefinition) {
              w = definitionWeaver = weavers.forDefinition();
            } else {
              w = retransformWeaver = weavers.forRetransformation();
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
      "connguard/tuning/", "connguard/metrics/", "connguard/shaded/"};

  /** Never woven: the JDK (including JDK dynamic proxies) and the agent itself. OwnCalls names. */
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
}
