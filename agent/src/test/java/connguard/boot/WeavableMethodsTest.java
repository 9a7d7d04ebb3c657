package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fixtures.SampleDriver;
import fixtures.SampleStatement;
import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

class WeavableMethodsTest {
  @Test
  void jdbcClassesDeclareWeavableMethodsAndTheRestDoNot() throws Exception {
    assertTrue(WeavableMethods.declaredIn(readerOf(SampleStatement.class)));
    assertTrue(WeavableMethods.declaredIn(readerOf(SampleDriver.class)));
    assertTrue(WeavableMethods.declaredIn(new ClassReader(DefinitionWeaverTest.connectionClass("gen/C"))), "close()");
    assertFalse(WeavableMethods.declaredIn(readerOf(WeavableMethodsTest.class)));
    assertFalse(WeavableMethods.declaredIn(new ClassReader(classWith(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "close", "()V"))),
        "a static close() overrides nothing");
    assertFalse(WeavableMethods.declaredIn(new ClassReader(classWith(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "close", "()V"))),
        "an abstract one has no body to wrap");
    assertFalse(WeavableMethods.declaredIn(new ClassReader(classWith(Opcodes.ACC_PUBLIC, "run", "(Ljava/sql/Connection;)V"))),
        "mentions java.sql, implements nothing of it");
    assertTrue(WeavableMethods.declaredIn(new ClassReader(classWith(Opcodes.ACC_PUBLIC, "executeQuery",
        "(Ljava/lang/String;)Lorg/example/Rs;"))), "a covariant return type");
  }

  /** The walk over the method table in place says what ASM's own visitor says, on thousands of real class files. */
  @Test
  void agreesWithAsmsVisitorOnRealClassFiles() throws Exception {
    int classes = 0;
    int weavable = 0;
    for (byte[] bytes : classFilesOnTheClassPath(30_000)) {
      ClassReader reader = new ClassReader(bytes);
      boolean expected = declaresWeavableByVisitor(reader);
      assertEquals(expected, WeavableMethods.declaredIn(reader), reader.getClassName());
      classes++;
      weavable += expected ? 1 : 0;
    }
    assertTrue(classes > 5_000 && weavable > 100 && weavable < classes, classes + " classes, " + weavable + " weavable");
  }

  /**
   * The filter skips a class that declares no method of {@link JdbcSignatures#mayBeWoven}; so
   * every method the weaver wraps, in a class of any role, must have such a signature. Classes
   * that declare a concrete method for every method of every java.sql interface (and HikariCP's
   * validate()) are woven with every option, and each wrapped method is checked.
   */
  @Test
  void everyMethodTheWeaverWrapsHasASignatureTheFilterLetsThrough() throws Exception {
    String[][] roles = {
        {"gen/AConnection", "java/sql/Connection"},
        {"gen/AStatement", "java/sql/CallableStatement"},
        {"gen/AResultSet", "java/sql/ResultSet"},
        {"gen/ADriver", "java/sql/Driver"},
        {"gen/ADataSource", "javax/sql/DataSource", "javax/sql/ConnectionPoolDataSource"},
        {WeavePlan.HIKARI_CONFIG}};
    int wrapped = 0;
    for (boolean replay : new boolean[] {false, true}) {
      for (String[] role : roles) {
        String name = role[0];
        if (!replay && name.equals("gen/AResultSet")) {
          continue;                               // a result set is woven only with transactionReplay
        }
        String[] interfaces = java.util.Arrays.copyOfRange(role, 1, role.length);
        byte[] woven = new DefinitionWeaver(replay).weave(getClass().getClassLoader(), name, everything(name, interfaces));
        assertNotNull(woven, name + " is woven");
        for (String body : bodiesIn(woven)) {
          assertTrue(JdbcSignatures.mayBeWoven(body), name + " wraps " + body + ", which the filter would not let through");
          wrapped++;
        }
      }
    }
    assertTrue(wrapped > 300, wrapped + " methods wrapped");
  }

  // --- fixtures ---

  private static ClassReader readerOf(Class<?> type) throws Exception {
    return new ClassReader(ClassFiles.read(type.getClassLoader(), type.getName().replace('.', '/')));
  }

  private static byte[] classWith(int access, String method, String descriptor) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "gen/One", null, "java/lang/Object", null);
    writer.visitField(Opcodes.ACC_PRIVATE, "field", "Ljava/sql/ResultSet;", null, null).visitEnd();
    MethodVisitor m = writer.visitMethod(access, method, descriptor, null, new String[] {"java/sql/SQLException"});
    if ((access & Opcodes.ACC_ABSTRACT) == 0) {
      throwsNull(m);
    }
    m.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** A class with {@code interfaces} declaring a concrete method for every public method of JDBC's interfaces, and validate(). */
  private static byte[] everything(String name, String[] interfaces) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, name, null, "java/lang/Object", interfaces);
    Set<String> declared = new LinkedHashSet<String>();
    Class<?>[] all = {java.sql.Connection.class, java.sql.CallableStatement.class, java.sql.ResultSet.class,
        java.sql.Driver.class, javax.sql.DataSource.class, javax.sql.ConnectionPoolDataSource.class, javax.sql.XADataSource.class};
    for (Class<?> type : all) {
      for (java.lang.reflect.Method m : type.getMethods()) {
        if (!Modifier.isStatic(m.getModifiers())) {
          declared.add(m.getName() + Type.getMethodDescriptor(m));
        }
      }
    }
    declared.add("validate()V");
    for (String method : declared) {
      int paren = method.indexOf('(');
      MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC, method.substring(0, paren), method.substring(paren), null, null);
      throwsNull(m);
      m.visitEnd();
    }
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** A body of its own, the smallest there is: {@code throw null}. */
  private static void throwsNull(MethodVisitor m) {
    m.visitCode();
    m.visitInsn(Opcodes.ACONST_NULL);
    m.visitInsn(Opcodes.ATHROW);
    m.visitMaxs(1, 8);
  }

  /** The signatures of the methods whose bodies the weaver renamed (each one it wrapped). */
  private static List<String> bodiesIn(byte[] woven) {
    List<String> bodies = new ArrayList<String>();
    String prefix = MethodWrapper.bodyName("");
    for (Method m : methodsOf(new ClassReader(woven))) {
      if (m.name.startsWith(prefix) && !m.name.equals(GuardingClassVisitor.STATE_FIELD)) {
        bodies.add(JdbcSignatures.signature(m.name.substring(prefix.length()), m.descriptor));
      }
    }
    return bodies;
  }

  private static boolean declaresWeavableByVisitor(ClassReader reader) {
    for (Method m : methodsOf(reader)) {
      if (JdbcSignatures.isConcreteInstanceMethod(m.access, m.name)
          && JdbcSignatures.mayBeWoven(JdbcSignatures.signature(m.name, m.descriptor))) {
        return true;
      }
    }
    return false;
  }

  /** A method as ASM's visitor sees it. */
  private static final class Method {
    final int access;
    final String name;
    final String descriptor;

    Method(int access, String name, String descriptor) {
      this.access = access;
      this.name = name;
      this.descriptor = descriptor;
    }
  }

  private static List<Method> methodsOf(ClassReader reader) {
    final List<Method> methods = new ArrayList<Method>();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String s, String[] e) {
        methods.add(new Method(access, name, descriptor));
        return null;
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return methods;
  }

  /** Class files of this module's class path: its own classes and the jars (ASM, Byte Buddy, JUnit, Micrometer ...). */
  private static List<byte[]> classFilesOnTheClassPath(int atMost) throws Exception {
    List<byte[]> files = new ArrayList<byte[]>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Paths.get(entry);
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path p : (Iterable<Path>) walk.filter(q -> q.toString().endsWith(".class"))::iterator) {
            if (files.size() < atMost) {
              files.add(Files.readAllBytes(p));
            }
          }
        }
      } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        try (ZipFile jar = new ZipFile(path.toFile())) {
          for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements() && files.size() < atMost; ) {
            ZipEntry z = e.nextElement();
            if (z.getName().endsWith(".class") && !z.getName().startsWith("META-INF/")) {
              try (InputStream in = jar.getInputStream(z)) {
                files.add(readAll(in));
              }
            }
          }
        }
      }
    }
    return files;
  }

  private static byte[] readAll(InputStream in) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
