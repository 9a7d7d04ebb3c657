package connguard.tuning;

import static connguard.tuning.Timeouts.pg;
import static connguard.tuning.Timeouts.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PoolFitTest {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final long MIN = TimeUnit.MINUTES.toMillis(1);

  @Test
  void defaultMaxLifetimeAboveIdleSessionTimeoutWarnsWithTheSettingsThatFit() {
    assertEquals("connguard: HikariCP pool 'orders' keeps a connection idle up to maxLifetime=30m"
        + " (keepaliveTime off) but " + PG + " closes idle sessions after 10m (idle_session_timeout):"
        + " pooled connections die there and are replaced only when borrowed;"
        + " use maxLifetime=9m and keepaliveTime=2m",
        PoolFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 10 * MIN), hikari(30 * MIN, 0)));
  }

  @Test
  void keepaliveTooSlowIsWhatIsNamed() {
    assertEquals("connguard: HikariCP pool 'orders' keeps a connection idle up to keepaliveTime=15m but "
        + "jdbc:mariadb://x closes idle sessions after 10m (wait_timeout): pooled connections die there and"
        + " are replaced only when borrowed; use maxLifetime=9m and keepaliveTime=2m",
        PoolFit.warning("jdbc:mariadb://x", new ServerTimeouts(Product.MARIADB, "10.11",
            values(ServerSetting.WAIT_TIMEOUT, 10 * MIN)), hikari(30 * MIN, 15 * MIN)));
  }

  @Test
  void anIdleLimitBelowHikarisMinimumSaysRaiseTheServerSetting() {
    assertEquals("connguard: HikariCP pool 'orders' keeps a connection idle up to maxLifetime=30m"
        + " (keepaliveTime off) but " + PG + " closes idle sessions after 3s (idle_session_timeout):"
        + " pooled connections die there and are replaced only when borrowed; no HikariCP setting fits"
        + " (its minimum is 30s): raise idle_session_timeout above a minute; connguard validates the"
        + " connections the app holds",
        PoolFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 3000), hikari(30 * MIN, 0)));
  }

  @Test
  void unlimitedLifetimeIsNamed() {
    String line = PoolFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, 10 * MIN), hikari(0, 0));
    assertEquals(true, line.contains("up to maxLifetime=unlimited (keepaliveTime off)"), line);
  }

  @ParameterizedTest(name = "idle_session_timeout={0}ms maxLifetime={1}ms keepaliveTime={2}ms: no warning")
  @CsvSource({
      "0,       1800000, 0",        // the server closes nothing idle
      "3600000, 1800000, 0",        // retired before the server's limit
      "600000,  1800000, 120000",   // pinged before the server's limit
      "600000,  540000,  0",
  })
  void settingsThatFitGiveNoWarning(long idleSessionMillis, long maxLifetime, long keepalive) {
    assertNull(PoolFit.warning(PG, pg(ServerSetting.IDLE_SESSION_TIMEOUT, idleSessionMillis), hikari(maxLifetime, keepalive)));
  }

  @Test
  void idleInTransactionTimeoutIsNotAPoolConcern() {
    // A pooled connection waits outside any transaction: only the session idle limit applies.
    assertNull(PoolFit.warning(PG, pg(ServerSetting.IDLE_IN_TRANSACTION_SESSION_TIMEOUT, 1000), hikari(30 * MIN, 0)));
  }

  private static PoolSettings hikari(long maxLifetime, long keepalive) {
    return new PoolSettings("HikariCP pool 'orders'", maxLifetime, keepalive, Collections.singletonList(ServerKey.of(PG)));
  }
}
