package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.PreparedStatement;
import net.bytebuddy.description.method.MethodDescription;
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
    MethodDescription m = new MethodDescription.ForLoadedMethod(PreparedStatement.class.getMethod(name, int.class, type));
    assertEquals(advice, Weaver.adviceFor(m, Weaver.kindOf(m, Weaver.Role.STATEMENT, false)));
  }

  @ParameterizedTest(name = "{0} keeps the general advice")
  @CsvSource({"setObject", "setNull", "setTimestamp"})
  void otherShapesKeepTheGeneralAdvice(String name) throws Exception {
    MethodDescription m = null;
    for (java.lang.reflect.Method candidate : PreparedStatement.class.getMethods()) {
      if (candidate.getName().equals(name) && candidate.getParameterCount() == 3) {
        m = new MethodDescription.ForLoadedMethod(candidate);
      }
    }
    assertEquals(0, Weaver.adviceFor(m, Weaver.kindOf(m, Weaver.Role.STATEMENT, false)));
    MethodDescription execute = new MethodDescription.ForLoadedMethod(PreparedStatement.class.getMethod("executeQuery"));
    assertEquals(0, Weaver.adviceFor(execute, Weaver.kindOf(execute, Weaver.Role.STATEMENT, false)));
  }

  @org.junit.jupiter.api.Test
  void registerOutParameterKeepsTheGeneralAdviceSoAnInoutParameterKeepsBoth() throws Exception {
    MethodDescription out = new MethodDescription.ForLoadedMethod(
        java.sql.CallableStatement.class.getMethod("registerOutParameter", int.class, int.class));
    assertEquals(0, Weaver.adviceFor(out, Weaver.kindOf(out, Weaver.Role.STATEMENT, false)));
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
