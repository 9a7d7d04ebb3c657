package connguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** URLs as the drivers' own documentation writes them. */
class JdbcUrlTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary",
      "jdbc:postgresql://db1,db2/app",
      "jdbc:mariadb:sequential://db1:3306,db2:3306/app",
      "jdbc:mysql://db1,db2/app?user=u&password=p",
      "jdbc:mysql://address=(host=db1)(port=3306),address=(host=db2)(port=3306)/app",
      "jdbc:mysql://address=(host=db1)(port=3306)address=(host=db2)(port=3306)/app"})
  void severalHosts(String url) {
    assertTrue(JdbcUrl.namesSeveralHosts(url), url);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:postgresql://db1:5432/app?options=-c%20a=1,2",
      "jdbc:postgresql://db1/app?targetServerType=primary&hosts=a,b",
      "jdbc:mariadb://db1:3306/app?sessionVariables=a=1,b=2",
      "jdbc:h2:mem:test", "jdbc:h2:tcp://localhost/mem:x,y"})
  void oneHostOrNone(String url) {
    if (url.equals("jdbc:h2:tcp://localhost/mem:x,y")) {
      assertEquals("localhost", JdbcUrl.hostPart(url));
    }
    assertFalse(JdbcUrl.namesSeveralHosts(url), url);
  }

  @Test
  void noUrl() {
    assertEquals("", JdbcUrl.hostPart(null));
    assertFalse(JdbcUrl.namesSeveralHosts(null));
  }

  @Test
  void theDoctorRecommendsAMultiHostUrlOnlyWhenStandbysExistAndTheUrlNamesOneHost() {
    Standbys two = standbys("10.0.0.6", "10.0.0.7");
    String note = two.note("jdbc:postgresql://db1:5432/app", Product.POSTGRESQL);
    assertTrue(note.contains("streams to 2 standbys (10.0.0.6, 10.0.0.7)"), note);
    assertTrue(note.contains("targetServerType=primary"), note);
    assertEquals(null, two.note("jdbc:postgresql://db1,db2/app?targetServerType=primary", Product.POSTGRESQL));
    assertEquals(null, standbys().note("jdbc:postgresql://db1:5432/app", Product.POSTGRESQL));
    assertTrue(two.note("jdbc:mariadb://db1/app", Product.MARIADB).contains("jdbc:mariadb:sequential://"));
  }

  private static Standbys standbys(String... hosts) {
    return new Standbys(Arrays.asList(hosts));
  }
}
