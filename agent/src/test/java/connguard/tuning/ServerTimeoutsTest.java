package connguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerTimeoutsTest {

  @ParameterizedTest(name = "pg_settings {0}={1} {2} is {3}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "idle_session_timeout                | 30000 | ms   | 30000",
      "idle_session_timeout                | 0     | ms   | 0",
      "idle_in_transaction_session_timeout | 5     | min  | 300000",
      "statement_timeout                   | 2     | h    | 7200000",
      "statement_timeout                   | 1     | d    | 86400000",
      "tcp_keepalives_idle                 | 7200  | s    | 7200000",
      "tcp_keepalives_interval             | 75    | s    | 75000",
      "tcp_keepalives_count                | 9     | NULL | 9",
      "IDLE_SESSION_TIMEOUT                | 10    | ms   | 10",
  })
  void postgresSettingsAreReadWithTheirUnit(String name, String setting, String unit, long expected) {
    ServerTimeouts t = ServerTimeouts.postgres("15.2", Collections.singletonList(new String[] {name, setting, unit}));
    assertEquals(expected, t.value(ServerSetting.named(Product.POSTGRESQL, name)));
  }

  @ParameterizedTest(name = "pg_settings {0}={1} {2} is left out")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "idle_session_timeout | 30000 | kB",      // not a time unit: never guess
      "idle_session_timeout | 30000 | NULL",
      "idle_session_timeout | -1    | ms",
      "idle_session_timeout | 1.5   | s",
      "idle_session_timeout | NULL  | ms",
      "work_mem             | 4096  | kB",      // not one of ours
  })
  void postgresRowsThatAreNotATimeoutAreLeftOut(String name, String setting, String unit) {
    ServerTimeouts t = ServerTimeouts.postgres("15.2", Collections.singletonList(new String[] {name, setting, unit}));
    assertNull(t.value(ServerSetting.IDLE_SESSION_TIMEOUT));
    assertEquals(true, t.isEmpty());
  }

  @ParameterizedTest(name = "{0} variable {1}={2} is {3} ms")
  @CsvSource(delimiter = '|', value = {
      "MYSQL   | wait_timeout        | 28800 | 28800000",
      "MARIADB | wait_timeout        | 60    | 60000",
      "MARIADB | interactive_timeout | 28800 | 28800000",
      "MYSQL   | net_read_timeout    | 30    | 30000",
      "MYSQL   | NET_WRITE_TIMEOUT   | 60    | 60000",
  })
  void mysqlVariablesAreWholeSeconds(Product product, String name, String value, long expectedMillis) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put(name, value);
    ServerTimeouts t = ServerTimeouts.mysql(product, "10.11", variables);
    assertEquals(expectedMillis, t.value(ServerSetting.named(product, name)));
  }

  @ParameterizedTest(name = "\"{0}\" version \"{1}\" is {2}")
  @CsvSource(delimiter = '|', value = {
      "PostgreSQL | 15.20 (Debian 15.20-0+deb12u1)         | POSTGRESQL",
      "MariaDB    | 10.11.19-MariaDB-0+deb12u1             | MARIADB",
      "MySQL      | 5.5.5-10.11.19-MariaDB-0+deb12u1       | MARIADB",   // Connector/J on MariaDB
      "MySQL      | 8.4.3                                  | MYSQL",
      "H2         | 2.3.232 (2024-08-11)                   | OTHER",
      "Oracle     | Oracle Database 23ai                   | OTHER",
  })
  void productIsKnownFromTheDriversNameAndVersion(String name, String version, Product expected) {
    assertEquals(expected, Product.of(name, version));
  }

  @ParameterizedTest(name = "{0} reads {1}")
  @CsvSource(delimiter = '|', value = {
      "POSTGRESQL | idle_session_timeout idle_in_transaction_session_timeout statement_timeout tcp_keepalives_idle tcp_keepalives_interval tcp_keepalives_count",
      "MYSQL      | wait_timeout interactive_timeout net_read_timeout net_write_timeout",
      "MARIADB    | wait_timeout interactive_timeout net_read_timeout net_write_timeout",
      "OTHER      | ''",
  })
  void eachProductHasItsSettings(Product product, String names) {
    StringBuilder seen = new StringBuilder();
    for (ServerSetting s : ServerSetting.of(product)) {
      seen.append(seen.length() == 0 ? "" : " ").append(s.serverName);
    }
    assertEquals(Arrays.asList(names.trim().split(" ")), Arrays.asList(seen.toString().split(" ")));
  }
}
