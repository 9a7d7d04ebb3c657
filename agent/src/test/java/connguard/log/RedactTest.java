package connguard.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true|jdbc:postgresql://h/db?user=u&password=***&ssl=true",
      "jdbc:mariadb://h/db?password=hunter2|jdbc:mariadb://h/db?password=***",
      "jdbc:mysql://u:hunter2@h:3306/db|jdbc:mysql://u:***@h:3306/db",
      "jdbc:sqlserver://h;user=u;password=hunter2;db=x|jdbc:sqlserver://h;user=u;password=***;db=x",
      "jdbc:h2:tcp://h/db;PASSWORD=hunter2|jdbc:h2:tcp://h/db;PASSWORD=***",
      "jdbc:postgresql://h/db?sslpassword=s3cr3t|jdbc:postgresql://h/db?sslpassword=***",
      "jdbc:postgresql://127.0.0.1:5432/test|jdbc:postgresql://127.0.0.1:5432/test"})
  void masksEverySecretFormDriversUse(String url, String expected) {
    assertEquals(expected, Redact.url(url));
  }
}
