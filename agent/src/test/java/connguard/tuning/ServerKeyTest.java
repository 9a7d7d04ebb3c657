package connguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerKeyTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://127.0.0.1:5432/test|postgresql://127.0.0.1:5432/test",
      "jdbc:postgresql://127.0.0.1/test?user=postgres&options=-c%20x|postgresql://127.0.0.1:5432/test",
      "jdbc:postgresql://LOCALHOST:5433/app?adaptiveFetch=false&password=***|postgresql://localhost:5433/app",
      "jdbc:mariadb://127.0.0.1/test|mariadb://127.0.0.1:3306/test",
      "jdbc:mysql://root:***@127.0.0.1:3307/test?x=1|mysql://127.0.0.1:3307/test",
      "jdbc:mariadb:replication://db1:3306/app|mariadb://db1:3306/app",
      "jdbc:h2:tcp://127.0.0.1:9092/mem:demo|h2://127.0.0.1:9092/mem:demo",
  })
  void sameDatabaseSameKey(String url, String key) {
    assertEquals(key, ServerKey.of(url));
  }

  @ParameterizedTest(name = "{0} -> {1} {2} {3} {4}")
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://DB.example:6432/orders?user=app&password=hunter2|postgresql|db.example|6432|orders",
      "jdbc:mysql://root:hunter2@127.0.0.1/test|mysql|127.0.0.1|3306|test",
      "jdbc:h2:tcp://127.0.0.1:9092/mem:demo;DB_CLOSE_DELAY=-1|h2|127.0.0.1|9092|mem:demo",
      "jdbc:postgresql://[::1]/|postgresql|[::1]|5432|''",
      "jdbc:sqlserver://sql1;databaseName=x|sqlserver|sql1|''|''",
  })
  void partsAreWhereItGoesNeverWhoConnects(String url, String protocol, String host, String port, String database) {
    ServerKey key = ServerKey.parse(url);
    assertEquals(protocol, key.protocol);
    assertEquals(host, key.host);
    assertEquals(port, key.port);
    assertEquals(database, key.database);
    assertFalse(key.toString().contains("hunter2"), key.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"org.h2.jdbcx.JdbcDataSource", "jdbc:h2:mem:x", "jdbc:postgresql://a,b/test"})
  void notOneServerNoKey(String url) {
    assertNull(ServerKey.of(url));
    assertNull(ServerKey.parse(url));
  }
}
