package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JdbcClassFilterTest {
  private static final byte[] MARKER = "java/sql/".getBytes(StandardCharsets.US_ASCII);

  @Test
  void findsTheMarkerAnywhereIncludingTheEdges() {
    assertTrue(JdbcClassFilter.contains("java/sql/".getBytes(StandardCharsets.US_ASCII), MARKER));
    assertTrue(JdbcClassFilter.contains("xxjava/sql/Connection".getBytes(StandardCharsets.US_ASCII), MARKER));
    assertTrue(JdbcClassFilter.contains("jjava/sql/".getBytes(StandardCharsets.US_ASCII), MARKER));
  }

  @Test
  void ignoresNearMisses() {
    assertFalse(JdbcClassFilter.contains("java/sq".getBytes(StandardCharsets.US_ASCII), MARKER));
    assertFalse(JdbcClassFilter.contains("java/sqlx".getBytes(StandardCharsets.US_ASCII), MARKER));
    assertFalse(JdbcClassFilter.contains(new byte[0], MARKER));
  }

  @Test
  void platformClassesAndOurOwnAreNeverWoven() {
    assertTrue(JdbcClassFilter.isPlatformOrOurs("java/sql/DriverManager"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("jdk/proxy1/$Proxy12"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("com/sun/proxy/$Proxy3"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/shaded/net/bytebuddy/ByteBuddy"));
    assertFalse(JdbcClassFilter.isPlatformOrOurs("org/postgresql/jdbc/PgConnection"));
    assertTrue(JdbcClassFilter.isPlatformOrOurs("connguard/heal/LogicalConnection"));
    assertFalse(JdbcClassFilter.isPlatformOrOurs("connguard/it/drivers/TestDrivers"), "an app package that merely starts with connguard");
  }
}
