package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.heal.LogicalConnection;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcClassFilterTest {
  @Test
  void aRetransformedClassGoesBackToTheWeaverThatWoveItAtDefinitionAndOnlyThen() throws Exception {
    final List<String> retransformed = new ArrayList<String>();
    JdbcClassFilter filter = new JdbcClassFilter(new JdbcClassFilter.Weavers() {
      @Override public DefinitionWeaver forDefinition() {
        return new DefinitionWeaver(false);
      }

      @Override public ClassFileTransformer forRetransformation() {
        return new ClassFileTransformer() {
          @Override public byte[] transform(ClassLoader l, String name, Class<?> c, ProtectionDomain d, byte[] b) {
            retransformed.add(name);
            return null;
          }
        };
      }
    });
    ClassLoader loader = getClass().getClassLoader();
    String statement = "fixtures/SampleStatement";
    byte[] defined = filter.transform(loader, statement, null, null, bytesOf(statement));
    assertNotNull(defined, "woven as it is defined");
    assertArrayEquals(defined, filter.transform(loader, statement, Object.class, null, bytesOf(statement)),
        "retransformed later (another agent, a profiler): the same shape again");
    assertEquals(new ArrayList<String>(), retransformed);

    String driver = "fixtures/SampleDriver";
    assertNull(filter.transform(loader, driver, Object.class, null, bytesOf(driver)));
    assertEquals(Arrays.asList(driver), retransformed, "loaded before the agent: only the frozen-shape weaver");
  }

  private static byte[] bytesOf(String internalName) throws Exception {
    return ClassFiles.read(JdbcClassFilterTest.class.getClassLoader(), internalName);
  }

  @Test
  void countsEveryClassHandedOverWovenOrNotSoTheGuardCanTellWhenTheAppIsPastItsStartUp() throws Exception {
    JdbcClassFilter filter = new JdbcClassFilter(new JdbcClassFilter.Weavers() {
      @Override public DefinitionWeaver forDefinition() {
        return new DefinitionWeaver(false);
      }

      @Override public ClassFileTransformer forRetransformation() {
        return null;
      }
    });
    ClassLoader loader = getClass().getClassLoader();
    long before = JdbcClassFilter.classesSeen().getAsLong();
    filter.transform(null, "java/lang/String", null, null, new byte[0]);             // the JDK's own
    filter.transform(loader, null, null, null, new byte[0]);                          // defined without a name
    filter.transform(loader, "java/sql/DriverManager", null, null, bytesOf("java/sql/DriverManager"));
    filter.transform(loader, "fixtures/SampleStatement", null, null, bytesOf("fixtures/SampleStatement"));
    filter.transform(loader, getClass().getName().replace('.', '/'), null, null,
        bytesOf(getClass().getName().replace('.', '/')));                            // no JDBC in it
    assertEquals(before + 5, JdbcClassFilter.classesSeen().getAsLong());
  }

  /** Every package of the agent is one of its own: a new one left out would be scanned, and could be woven. */
  @Test
  void everyPackageOfTheAgentIsOneOfItsOwn() throws Exception {
    java.io.File classes = new java.io.File(JdbcClassFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    java.io.File[] packages = new java.io.File(classes, "connguard").listFiles(java.io.File::isDirectory);
    assertTrue(packages != null && packages.length >= 10, "the agent's packages under " + classes);
    for (java.io.File dir : packages) {
      assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/" + dir.getName() + "/AnyClass"), dir.getName());
    }
  }

  @Test
  void platformClassesAndOurOwnAreNeverWoven() {
    assertTrue(JdbcClassFilter.isPlatformOrOurs("java/sql/DriverManager"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("jdk/proxy1/$Proxy12"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("com/sun/proxy/$Proxy3"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/shaded/net/bytebuddy/ByteBuddy"));
    assertFalse(JdbcClassFilter.isPlatformOrOurs("org/postgresql/jdbc/PgConnection"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/heal/LogicalConnection"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/tuning/TimeoutReader"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/metrics/AppMetrics"));
    assertFalse(JdbcClassFilter.isPlatformOrOurs("connguard/it/drivers/TestDrivers"), "an app package that merely starts with connguard");
  }
}
