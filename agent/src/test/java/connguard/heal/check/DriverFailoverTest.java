package connguard.heal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DriverFailoverTest {
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "jdbc:mariadb:sequential://h1,h2/db|true",
      "jdbc:mariadb:replication://primary,replica/db?user=a|true",
      "jdbc:mariadb:loadbalance://h1,h2/db|true",
      "jdbc:mariadb:aurora://cluster/db|true",
      "JDBC:MARIADB:SEQUENTIAL://h1/db|true",
      "jdbc:mysql:replication://h1,h2/db|true",
      "jdbc:mysql:loadbalance://h1,h2/db|true",
      "jdbc:mysql://h1:3306,h2:3306/db?user=a|true",
      "jdbc:mysql://h1:3306/db?user=a,b|false",
      "jdbc:mariadb://h1/db?transactionReplay=true|false",
      "jdbc:mariadb://h1,h2/db|false",
      "jdbc:postgresql://h1,h2/db?targetServerType=primary|false",
      "jdbc:mysql://h1/db?autoReconnect=true|false",
      "jdbc:h2:tcp://localhost/mem:x|false"})
  void aUrlTurnsOnTheDriversOwnFailoverOrNot(String url, boolean failsOver) {
    assertEquals(failsOver, DriverFailover.enabledBy(url));
  }

  @Test
  void noUrlIsNoFailover() {
    assertFalse(DriverFailover.enabledBy(null));
  }
}
