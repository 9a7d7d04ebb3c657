package connguard.tuning;

import static connguard.tuning.Timeouts.pg;
import static connguard.tuning.Timeouts.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import connguard.config.Durations;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdleFitTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  @Test
  void validateIdleAfterLongerThanIdleSessionTimeoutWarnsWithTheFix() {
    assertEquals("connguard: " + PG + " closes idle sessions after 3s (idle_session_timeout) but"
        + " validateIdleAfter=5s: idle connections will die before they are checked;"
        + " use validateIdleAfter=1500ms or validateIdleAfter=auto",
        IdleFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 3000), seconds(5), Durations.OFF));
  }

  @Test
  void validationOffWhileTheServerClosesIdleSessionsWarns() {
    assertEquals("connguard: " + PG + " closes idle sessions after 3s (idle_session_timeout) but"
        + " validateIdleAfter=off: idle connections will die unchecked;"
        + " use validateIdleAfter=1500ms or validateIdleAfter=auto",
        IdleFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 3000), Durations.OFF, Durations.OFF));
  }

  @Test
  void idleInTransactionTimeoutCountsAndIsNamed() {
    assertEquals("connguard: " + PG + " closes sessions idle in a transaction after 1s"
        + " (idle_in_transaction_session_timeout) but validateIdleAfter=2s: idle connections will die"
        + " before they are checked; use validateIdleAfter=500ms or validateIdleAfter=auto",
        IdleFit.warning(PG, pg(ServerSetting.IDLE_IN_TRANSACTION_SESSION_TIMEOUT, 1000), seconds(2), Durations.OFF));
  }

  @Test
  void maxAgeLongerThanWaitTimeoutWarns() {
    ServerTimeouts mysql = new ServerTimeouts(Product.MARIADB, "10.11",
        values(ServerSetting.WAIT_TIMEOUT, TimeUnit.MINUTES.toMillis(20)));
    assertEquals("connguard: jdbc:mariadb://x closes idle sessions after 20m (wait_timeout) but maxAge=1h:"
        + " connections idle that long die before maxAge replaces them; use maxAge=18m",
        IdleFit.warning("jdbc:mariadb://x", mysql, seconds(2), TimeUnit.HOURS.toNanos(1)));
  }

  @Test
  void bothProblemsAreOneLine() {
    String line = IdleFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 3000), seconds(5), seconds(10));
    assertEquals("connguard: " + PG + " closes idle sessions after 3s (idle_session_timeout) but"
        + " validateIdleAfter=5s: idle connections will die before they are checked;"
        + " use validateIdleAfter=1500ms or validateIdleAfter=auto; it also closes idle sessions after 3s"
        + " (idle_session_timeout) but maxAge=10s: connections idle that long die before maxAge replaces"
        + " them; use maxAge=off and leave them to validateIdleAfter (recycling below 3s only churns"
        + " connections)", line);
  }

  @Test
  void autoBelowTheShortestSensibleCheckSaysRaiseTheServerSetting() {
    assertEquals("connguard: " + PG + " closes idle sessions after 200ms (idle_session_timeout) but"
        + " validateIdleAfter=auto (250ms): idle connections will die before they are checked;"
        + " raise idle_session_timeout",
        IdleFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 200), Durations.AUTO, Durations.OFF));
  }

  @ParameterizedTest(name = "idle_session_timeout={0}ms validateIdleAfter={1} maxAge={2}: no warning")
  @CsvSource({
      "0,      2s,    off",     // off on the server: nothing closes idle sessions
      "3000,   1500ms, off",
      "3000,   2999ms, off",
      "3000,   auto,  off",
      "600000, 2s,    9m",
      "600000, 2s,    off",
  })
  void optionsThatFitGiveNoWarning(long idleSessionMillis, String validateIdleAfter, String maxAge) {
    long validate = validateIdleAfter.equals("auto") ? Durations.AUTO : Durations.parseNanos(validateIdleAfter);
    assertNull(IdleFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, idleSessionMillis), validate,
        Durations.parseNanos(maxAge)));
  }

  @Test
  void unknownTimeoutsGiveNoWarningAndTheDefault() {
    ServerTimeouts h2 = ServerTimeouts.unknown(Product.OTHER, "H2 2.2");
    assertNull(IdleFit.warning("jdbc:h2:tcp://x", h2, Durations.OFF, Durations.OFF));
    assertEquals(seconds(2), IdleFit.autoNanos(h2));
  }

  @ParameterizedTest(name = "idle_session_timeout={0}ms: auto is {1}")
  @CsvSource({"0, 2s", "3000, 1500ms", "1000, 500ms", "300, 250ms", "60000, 2s"})
  void autoIsHalfTheSmallestIdleTimeoutWithinBounds(long idleSessionMillis, String expected) {
    assertEquals(Durations.parseNanos(expected), IdleFit.autoNanos(pg(ServerSetting.IDLE_SESSION_TIMEOUT, idleSessionMillis)));
  }

  @Test
  void autoChoiceSaysWhatAndWhy() {
    ServerTimeouts t = pg(ServerSetting.IDLE_SESSION_TIMEOUT, 3000);
    assertEquals("connguard: validateIdleAfter=auto: 1500ms for " + PG + " (half of idle_session_timeout=3s:"
        + " checked before the server can have closed it)", IdleFit.autoChoice(PG, t, TimeUnit.MILLISECONDS.toNanos(1500)));
    assertEquals("connguard: validateIdleAfter=auto: 1500ms for " + PG + " (half of idle_session_timeout=3s:"
        + " checked before the server can have closed it); using 500ms, what another server needs",
        IdleFit.autoChoice(PG, t, TimeUnit.MILLISECONDS.toNanos(500)));
  }

  private static long seconds(long s) {
    return TimeUnit.SECONDS.toNanos(s);
  }
}
