package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fixtures.SampleDriver;
import fixtures.SampleStatement;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** Supertypes already loaded come from the JVM, and say what their class files say. */
class TypeHierarchyTest {
  /** What the JVM answers for classes this test has loaded (a test may load; a transformer may not). */
  private static final LoadedClasses LOADED_BY_THIS_TEST = new LoadedClasses() {
    @Override public Class<?> find(ClassLoader loader, String binaryName) {
      try {
        return Class.forName(binaryName, false, loader);
      } catch (ClassNotFoundException e) {
        return null;
      }
    }
  };

  @Test
  void aLoadedTypesHeaderIsWhatItsClassFileSays() throws Exception {
    TypeHierarchy hierarchy = new TypeHierarchy(LOADED_BY_THIS_TEST);
    ClassLoader loader = getClass().getClassLoader();
    Class<?>[] types = {SampleStatement.class, SampleDriver.class, LoadedClasses.class, ClassWriter.class,
        JdbcClassFilter.class, org.junit.jupiter.api.extension.ExtensionContext.class};
    for (Class<?> type : types) {
      String name = type.getName().replace('.', '/');
      assertArrayEquals(classFileHeader(ClassFiles.read(loader, name)), hierarchy.loadedHeader(loader, name), name);
    }
  }

  @Test
  void aWovenClassIsKnownWithoutTheInterfaceTheWeaverAdded() throws Exception {
    String name = SampleStatement.class.getName().replace('.', '/');
    byte[] original = ClassFiles.read(getClass().getClassLoader(), name);
    byte[] woven = concrete(new DefinitionWeaver(false).weave(getClass().getClassLoader(), name, original));
    ClassLoader own = new DefinitionWeaverTest.OneClassLoader(getClass().getClassLoader(), SampleStatement.class.getName(), woven);
    Class<?> loaded = own.loadClass(SampleStatement.class.getName());
    assertTrue(Arrays.asList(loaded.getInterfaces()).contains(connguard.bridge.Guarded.class));
    assertArrayEquals(classFileHeader(original), new TypeHierarchy(LOADED_BY_THIS_TEST).loadedHeader(own, name));
  }

  /** A loaded supertype needs no class file: one generated at run time no longer stops its subclasses. */
  @Test
  void theJvmIsAskedBeforeAClassFileIsRead() throws Exception {
    ClassLoader generating = new DefinitionWeaverTest.OneClassLoader(getClass().getClassLoader(),
        "gen.GeneratedConnection", concrete(DefinitionWeaverTest.connectionClass("gen/GeneratedConnection")));
    generating.loadClass("gen.GeneratedConnection");
    byte[] sub = DefinitionWeaverTest.subclass("gen/Sub", "gen/GeneratedConnection", "close", "()V");

    assertThrows(TypeHierarchy.Unresolvable.class,
        () -> new DefinitionWeaver(false).weave(generating, "gen/Sub", sub), "class files only");
    byte[] woven = new DefinitionWeaver(false, LOADED_BY_THIS_TEST).weave(generating, "gen/Sub", sub);
    assertNotNull(woven, "a connection by its loaded superclass: guarded");
    assertTrue(Arrays.asList(new ClassReader(woven).getInterfaces()).contains(GuardingClassVisitor.GUARDED));
  }

  /**
   * The real lookup, opened through Instrumentation as premain opens it (Byte Buddy's installer is
   * the one way to an Instrumentation in a unit test): it finds what a loader has loaded, and
   * loads nothing itself.
   */
  @Test
  void theLookupFindsLoadedClassesAndLoadsNone() throws Exception {
    Instrumentation inst = ByteBuddyAgent.install();
    LoadedClasses lookup = LoadedClassLookup.open(inst);
    assertTrue(lookup != LoadedClasses.NONE, "opened");
    ClassLoader generating = new DefinitionWeaverTest.OneClassLoader(getClass().getClassLoader(),
        "gen.LoadedLater", concrete(DefinitionWeaverTest.connectionClass("gen/LoadedLater")));
    assertNull(lookup.find(generating, "gen.LoadedLater"), "not loaded yet");
    assertNull(lookup.find(generating, "gen.LoadedLater"), "and the first look did not load it");
    Class<?> loaded = generating.loadClass("gen.LoadedLater");
    assertSame(loaded, lookup.find(generating, "gen.LoadedLater"));
  }

  private static String[] classFileHeader(byte[] bytes) {
    return TypeHierarchy.header(new ClassReader(bytes));
  }

  private static byte[] concrete(byte[] bytes) {
    return DefinitionWeaverTest.concrete(bytes);
  }
}
