package connguard.boot;

import connguard.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Weaves JDBC classes as they are defined, with plain ASM: one read of the class, its supertypes
 * from class files ({@link TypeHierarchy}) if it declares a method that could be woven
 * ({@link WeavableMethods}), one write. No type pool, no advice parsing, no class
 * generation framework to start: the first JDBC class of a JVM costs about what its parsing costs.
 * Classes already loaded (attach) cannot change shape and go to {@link RetransformWeaver}.
 *
 * <p>A class woven here may later be retransformed (another agent, a profiler): the JVM then hands
 * over its original bytes again, and {@link #wove} tells the filter to weave them here again, to
 * the same shape, which is the one shape a retransformation accepts.
 */
final class DefinitionWeaver implements ClassFileTransformer {
  private final boolean transactionReplay;
  private final TypeHierarchy hierarchy;
  /** Per loader, the classes woven here (internal names); weak, so a webapp's loader can go. */
  private final Map<ClassLoader, Set<String>> woven = new WeakHashMap<ClassLoader, Set<String>>();
  /** Per class name: generated classes reappear in every new loader, and one line tells it all. */
  private final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

  /** Supertypes from class files only. */
  DefinitionWeaver(boolean transactionReplay) {
    this(transactionReplay, LoadedClasses.NONE);
  }

  /** @param loaded asked first for a supertype's header ({@link LoadedClassLookup}) */
  DefinitionWeaver(boolean transactionReplay, LoadedClasses loaded) {
    this.transactionReplay = transactionReplay;
    this.hierarchy = new TypeHierarchy(loaded);
  }

  @Override
  public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    try {
      return weave(loader, name, bytes);
    } catch (Throwable t) {
      if (reported.add(name)) {
        Log.warn("connguard: could not instrument " + name.replace('/', '.') + "; it runs unguarded (" + t + ")");
      }
      return null;
    }
  }

  /** The woven class, or null when it is not one of the JDBC classes the agent guards. */
  byte[] weave(ClassLoader loader, String name, byte[] bytes) throws TypeHierarchy.Unresolvable {
    ClassReader reader = new ClassReader(bytes);
    if ((reader.getAccess() & Opcodes.ACC_MODULE) != 0) {
      return null;
    }
    hierarchy.remember(loader, reader);         // interfaces too: they are supertypes of classes to come
    if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0 || !WeavableMethods.declaredIn(reader)) {
      return null;                              // the latter before its supertypes are looked up
    }
    WeavePlan plan = WeavePlan.of(name, hierarchy.supertypesOf(loader, reader), transactionReplay);
    if (!plan.weavesAnything()) {
      return null;
    }
    // No COMPUTE_FRAMES: that would recompute every method's frames and load classes to do it.
    // The driver's own code keeps its frames; the wrappers bring theirs (MethodWrapper).
    ClassWriter writer = new ClassWriter(reader, 0);
    GuardingClassVisitor visitor = new GuardingClassVisitor(writer, plan, PlainMethods.of(reader));
    reader.accept(visitor, 0);
    if (visitor.woven() == 0 && plan.role == null) {
      return null;
    }
    remember(loader, name);
    Log.debug("connguard: guarding " + name.replace('/', '.'));
    return writer.toByteArray();
  }

  /** Was this class woven here when it was defined? */
  boolean wove(ClassLoader loader, String name) {
    synchronized (woven) {
      Set<String> names = woven.get(loader);
      return names != null && names.contains(name);
    }
  }

  private void remember(ClassLoader loader, String name) {
    synchronized (woven) {
      Set<String> names = woven.get(loader);
      if (names == null) {
        names = new HashSet<String>();
        woven.put(loader, names);
      }
      names.add(name);
    }
  }
}
