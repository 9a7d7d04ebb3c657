package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.PreparedStatement;
import java.lang.reflect.Method;
import org.objectweb.asm.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeaverAdviceTest {
  /** 0 general (argument array), 1 integral bits, 2 floating bits, 3 reference or boolean. */
  @ParameterizedTest(name = "{0}({1}) gets advice {2}")
  @CsvSource({
      "setInt,int,1", "setLong,long,1", "setShort,short,1", "setByte,byte,1", "setNull,int,1",
      "setDouble,double,2", "setFloat,float,2",
      "setBoolean,boolean,3", "setString,java.lang.String,3", "setObject,java.lang.Object,3",
      "setBigDecimal,java.math.BigDecimal,3", "setTimestamp,java.sql.Timestamp,3"})
  void twoArgumentSettersByIndexBindTheirValueWithoutAnArray(String name, String valueType, int advice)
      throws Exception {
    Class<?> type = primitive(valueType);
    assertEquals(advice, adviceOf(PreparedStatement.class.getMethod(name, int.class, type)));
  }

  @ParameterizedTest(name = "{0} keeps the general advice")
  @CsvSource({"setObject", "setNull", "setTimestamp"})
  void otherShapesKeepTheGeneralAdvice(String name) throws Exception {
    Method m = null;
    for (Method candidate : PreparedStatement.class.getMethods()) {
      if (candidate.getName().equals(name) && candidate.getParameterCount() == 3) {
        m = candidate;
      }
    }
    assertEquals(0, adviceOf(m));
    assertEquals(0, adviceOf(PreparedStatement.class.getMethod("executeQuery")));
  }

  @org.junit.jupiter.api.Test
  void registerOutParameterKeepsTheGeneralAdviceSoAnInoutParameterKeepsBoth() throws Exception {
    assertEquals(0, adviceOf(java.sql.CallableStatement.class.getMethod("registerOutParameter", int.class, int.class)));
  }

  private static int adviceOf(Method m) {
    String descriptor = Type.getMethodDescriptor(m);
    return JdbcMethods.adviceFor(m.getName(), descriptor,
        JdbcMethods.kindOf(Role.STATEMENT, m.getName(), descriptor, false));
  }

  private static Class<?> primitive(String name) throws ClassNotFoundException {
    switch (name) {
      case "int": return int.class;
      case "long": return long.class;
      case "short": return short.class;
      case "byte": return byte.class;
      case "double": return double.class;
      case "float": return float.class;
      case "boolean": return boolean.class;
      default: return Class.forName(name);
    }
  }
}
