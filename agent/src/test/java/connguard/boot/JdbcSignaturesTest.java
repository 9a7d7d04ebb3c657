package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

class JdbcSignaturesTest {
  /** Read from class files, united over the supertypes: exactly what reflection's getMethods says. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(classes = {java.sql.Connection.class, java.sql.Statement.class, java.sql.PreparedStatement.class,
      java.sql.CallableStatement.class, java.sql.ResultSet.class})
  void theSignaturesOfAnInterfaceAreThoseReflectionSees(Class<?> type) {
    Set<String> expected = new HashSet<String>();
    for (Method m : type.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers())) {
        String descriptor = Type.getMethodDescriptor(m);
        expected.add(m.getName() + descriptor.substring(0, descriptor.indexOf(')') + 1));
      }
    }
    assertTrue(expected.size() > 20, "a real interface: " + expected.size());
    assertEquals(expected, JdbcSignatures.implementedBy(supertypesOf(type)));
  }

  @org.junit.jupiter.api.Test
  void onlyConcretePublicInstanceMethodsOfThoseSignaturesAreWoven() {
    Set<String> statement = JdbcSignatures.implementedBy(supertypesOf(java.sql.PreparedStatement.class));
    String desc = "(Ljava/lang/String;)Ljava/sql/ResultSet;";
    assertTrue(JdbcSignatures.isWoven(Opcodes.ACC_PUBLIC, "executeQuery", desc, statement));
    assertTrue(JdbcSignatures.isWoven(Opcodes.ACC_PUBLIC, "executeQuery", "(Ljava/lang/String;)Lorg/h2/Rs;", statement),
        "a covariant return type still implements the method");
    assertFalse(JdbcSignatures.isWoven(Opcodes.ACC_PUBLIC | Opcodes.ACC_BRIDGE, "executeQuery", desc, statement));
    assertFalse(JdbcSignatures.isWoven(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "executeQuery", desc, statement));
    assertFalse(JdbcSignatures.isWoven(Opcodes.ACC_PUBLIC | Opcodes.ACC_NATIVE, "executeQuery", desc, statement));
    assertFalse(JdbcSignatures.isWoven(Opcodes.ACC_PROTECTED, "executeQuery", desc, statement));
    assertFalse(JdbcSignatures.isWoven(Opcodes.ACC_PUBLIC, "executeQuery", "(I)Ljava/sql/ResultSet;", statement));
  }

  private static List<String> supertypesOf(Class<?> type) {
    List<String> all = new ArrayList<String>();
    collect(type, all);
    return all;
  }

  private static void collect(Class<?> type, List<String> all) {
    all.add(Type.getInternalName(type));
    for (Class<?> parent : type.getInterfaces()) {
      collect(parent, all);
    }
  }
}
