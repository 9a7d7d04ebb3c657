package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

class ClassFilesTest {
  @Test
  void readsClassesBesideAnAnchorInAClassesDirectory() throws IOException {
    assertTrue(ClassFiles.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith("/"),
        "the agent's classes are a directory in this build");
    Map<String, byte[]> read = ClassFiles.besides(ClassFiles.class, "connguard/bridge/Hooks", "connguard/bridge/Skip");
    assertEquals(Arrays.asList("connguard/bridge/Hooks", "connguard/bridge/Skip"), Arrays.asList(read.keySet().toArray()));
    assertArrayEquals(ClassFiles.read(getClass().getClassLoader(), "connguard/bridge/Hooks"), read.get("connguard/bridge/Hooks"));
  }

  @Test
  void readsClassesBesideAnAnchorInAJar() throws IOException {
    // JUnit comes from a jar here, as the agent does in an app.
    assertTrue(Test.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar"));
    String name = "org/junit/jupiter/api/Assertions";
    byte[] bytes = ClassFiles.besides(Test.class, name).get(name);
    assertArrayEquals(ClassFiles.read(getClass().getClassLoader(), name), bytes);
    assertEquals(name, new ClassReader(bytes).getClassName());
  }

  @Test
  void namesTheClassFileThatIsMissing() {
    IOException e = assertThrows(IOException.class,
        () -> ClassFiles.besides(Test.class, "org/junit/jupiter/api/Assertions", "org/junit/jupiter/api/NoSuchThing"));
    assertTrue(e.getMessage().contains("org/junit/jupiter/api/NoSuchThing.class"), e.getMessage());
  }

  @Test
  void readsAJdkClassFromItsModule() throws IOException {
    assertEquals("java/sql/Connection", new ClassReader(ClassFiles.ofJdkClass(java.sql.Connection.class)).getClassName());
    assertEquals("java/lang/AutoCloseable", new ClassReader(ClassFiles.ofJdkClass(AutoCloseable.class)).getClassName());
  }
}
