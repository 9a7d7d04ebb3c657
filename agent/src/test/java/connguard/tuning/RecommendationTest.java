package connguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.config.Durations;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecommendationTest {

  // settings: name=duration pairs separated by spaces, as the server names them; absent ones are
  // unknown to the server (PostgreSQL 13 has no idle_session_timeout). Hikari columns in ms,
  // -1 for not settable, 0 for off.
  @ParameterizedTest(name = "{0} {1}: validateIdleAfter={2} maxAge={3} maxLifetime={4} keepaliveTime={5}")
  @CsvSource(delimiter = '|', value = {
      // PostgreSQL defaults: nothing closes an idle session.
      "POSTGRESQL | idle_session_timeout=off idle_in_transaction_session_timeout=off | 2s     | off  | 1800000 | 120000",
      // Short idle_session_timeout: half of it, and too short for HikariCP's 30 s minimum.
      "POSTGRESQL | idle_session_timeout=3s                                        | 1500ms | off  | -1      | 0",
      "POSTGRESQL | idle_session_timeout=1s                                        | 500ms  | off  | -1      | 0",
      "POSTGRESQL | idle_session_timeout=30s                                       | 2s     | off  | -1      | 0",
      "POSTGRESQL | idle_session_timeout=40s                                       | 2s     | off  | 36000   | 30000",
      "POSTGRESQL | idle_session_timeout=3m                                        | 2s     | off  | 162000  | 90000",
      // From 10 min on, recycling a bit below the limit is cheap: maxAge.
      "POSTGRESQL | idle_session_timeout=10m                                       | 2s     | 9m   | 540000  | 120000",
      "POSTGRESQL | idle_session_timeout=1h                                        | 2s     | 55m  | 1800000 | 120000",
      // Below connguard's floor: 250ms, and a note says so.
      "POSTGRESQL | idle_session_timeout=100ms                                     | 250ms  | off  | -1      | 0",
      "POSTGRESQL | idle_session_timeout=499ms                                     | 250ms  | off  | -1      | 0",
      "POSTGRESQL | idle_session_timeout=500ms                                     | 250ms  | off  | -1      | 0",
      // In a transaction only: validation follows it, pooled (idle, outside transactions) do not.
      "POSTGRESQL | idle_in_transaction_session_timeout=1s                         | 500ms  | off  | 1800000 | 120000",
      "POSTGRESQL | idle_in_transaction_session_timeout=400ms                      | 250ms  | off  | 1800000 | 120000",
      "POSTGRESQL | idle_session_timeout=10m idle_in_transaction_session_timeout=3s | 1500ms | 9m   | 540000  | 120000",
      "POSTGRESQL | idle_session_timeout=2s idle_in_transaction_session_timeout=1h | 1s     | off  | -1      | 0",
      // Not idle limits: they change no value.
      "POSTGRESQL | statement_timeout=1s tcp_keepalives_idle=10s                   | 2s     | off  | 1800000 | 120000",
      // PostgreSQL 13: no idle_session_timeout at all.
      "POSTGRESQL | idle_in_transaction_session_timeout=off                        | 2s     | off  | 1800000 | 120000",
      // MySQL and MariaDB: wait_timeout closes idle sessions, 8h by default.
      "MYSQL      | wait_timeout=8h interactive_timeout=8h                         | 2s     | 475m | 1800000 | 120000",
      "MARIADB    | wait_timeout=8h interactive_timeout=8h                         | 2s     | 475m | 1800000 | 120000",
      "MARIADB    | wait_timeout=60s                                               | 2s     | off  | 54000   | 30000",
      "MARIADB    | wait_timeout=34s                                               | 2s     | off  | 30000   | 0",
      "MYSQL      | wait_timeout=1s                                                | 500ms  | off  | -1      | 0",
      // interactive_timeout is for interactive clients; JDBC sessions get wait_timeout.
      "MYSQL      | wait_timeout=8h interactive_timeout=10s                        | 2s     | 475m | 1800000 | 120000",
      // net_*_timeout cut statements, not idle sessions.
      "MYSQL      | wait_timeout=off net_read_timeout=1s net_write_timeout=1s      | 2s     | off  | 1800000 | 120000",
      // Any other database: connguard's defaults.
      "OTHER      | ''                                                             | 2s     | off  | 1800000 | 120000",
  })
  void timeoutsBecomeSettingsThatFitThem(Product product, String settings, String validateIdleAfter,
      String maxAge, long maxLifetimeMillis, long keepaliveTimeMillis) {
    Recommendation r = Recommendation.from(timeouts(product, settings));

    assertEquals(validateIdleAfter, Recommendation.duration(r.validateIdleAfterMillis), "validateIdleAfter");
    assertEquals(maxAge, Recommendation.duration(r.maxAgeMillis), "maxAge");
    assertEquals(maxLifetimeMillis, r.maxLifetimeMillis, "HikariCP maxLifetime");
    assertEquals(keepaliveTimeMillis, r.keepaliveTimeMillis, "HikariCP keepaliveTime");
    for (String why : new String[] {r.validateIdleAfterWhy, r.maxAgeWhy, r.maxLifetimeWhy, r.keepaliveTimeWhy}) {
      assertTrue(why != null && !why.isEmpty(), "every value has a reason");
    }
  }

  @Test
  void validateIdleAfterIsSafelyBelowEveryIdleLimitBetweenItsBounds() {
    for (long limit = 1; limit <= TimeUnit.HOURS.toMillis(2); limit = limit * 3 / 2 + 1) {
      for (ServerSetting setting : new ServerSetting[] {
          ServerSetting.IDLE_SESSION_TIMEOUT, ServerSetting.IDLE_IN_TRANSACTION_SESSION_TIMEOUT}) {
        Map<ServerSetting, Long> values = new EnumMap<>(ServerSetting.class);
        values.put(setting, limit);
        long chosen = Recommendation.from(new ServerTimeouts(Product.POSTGRESQL, "", values)).validateIdleAfterMillis;

        assertTrue(chosen >= 250 && chosen <= 2000, setting + "=" + limit + "ms gave " + chosen);
        if (limit >= 500) {
          assertTrue(chosen <= limit / 2, setting + "=" + limit + "ms gave " + chosen + ", not half or less");
        }
      }
    }
  }

  @Test
  void hikariValuesAreNeverBelowItsMinimumAndKeepaliveStaysBelowMaxLifetime() {
    for (long limit = 1000; limit <= TimeUnit.DAYS.toMillis(1); limit = limit * 5 / 4) {
      Recommendation r = Recommendation.from(timeouts(Product.MYSQL, "wait_timeout=" + limit));
      if (r.maxLifetimeMillis != Recommendation.NOT_SETTABLE) {
        assertTrue(r.maxLifetimeMillis >= 30_000 && r.maxLifetimeMillis < limit, "maxLifetime for " + limit);
      }
      if (r.keepaliveTimeMillis != 0) {
        assertTrue(r.keepaliveTimeMillis >= 30_000 && r.keepaliveTimeMillis < r.maxLifetimeMillis,
            "keepaliveTime for " + limit);
      }
    }
  }

  @ParameterizedTest(name = "a bit shorter than {0} ms is {1} ms")
  @CsvSource({
      "30000, 27000",        // 10%
      "45000, 40000",        // 40.5 s, down to whole seconds
      "5000, 4000",          // at least 1 s off
      "600000, 540000",
      "28800000, 28500000",  // at most 5 min off
  })
  void aBitShorterTakesTenPercentBetweenOneSecondAndFiveMinutes(long limit, long expected) {
    assertEquals(expected, Recommendation.aBitShorter(limit));
  }

  @ParameterizedTest(name = "{0} {1} gives -javaagent:connguard.jar={2}")
  @CsvSource(delimiter = '|', value = {
      "POSTGRESQL | idle_session_timeout=3s | validateIdleAfter=1500ms",
      "POSTGRESQL | idle_session_timeout=0  | validateIdleAfter=2s",
      "MARIADB    | wait_timeout=8h         | validateIdleAfter=2s,maxAge=475m",
  })
  void agentArgumentsNameTheOptionsAsTheAgentParsesThem(Product product, String settings, String expected) {
    assertEquals(expected, Recommendation.from(timeouts(product, settings)).agentArguments());
  }

  @ParameterizedTest(name = "{0} {1}: a note mentions \"{2}\"")
  @CsvSource(delimiter = '|', value = {
      "POSTGRESQL | idle_session_timeout=100ms                | idle_session_timeout=100ms closes sessions between",
      "POSTGRESQL | idle_in_transaction_session_timeout=5m    | does not replay it",
      "POSTGRESQL | statement_timeout=30s                     | statement_timeout=30s cancels",
      "POSTGRESQL | tcp_keepalives_idle=2h                    | tcp_keepalives_idle=2h",
      "POSTGRESQL | statement_timeout=off                     | before PostgreSQL 14",
      "MYSQL      | wait_timeout=8h net_write_timeout=60s     | net_write_timeout=1m",
      "OTHER      | ''                                        | does not know this database",
      "MYSQL      | ''                                        | could not be read",
  })
  void notesExplainWhatNoValueCanFix(Product product, String settings, String expected) {
    Recommendation r = Recommendation.from(timeouts(product, settings));
    assertTrue(r.notes.stream().anyMatch(n -> n.contains(expected)), expected + " in " + r.notes);
  }

  @Test
  void quietServerGetsNoNotes() {
    Recommendation r = Recommendation.from(timeouts(Product.POSTGRESQL,
        "idle_session_timeout=0 idle_in_transaction_session_timeout=0 tcp_keepalives_idle=1m"));
    assertEquals(0, r.notes.size(), r.notes.toString());
  }

  /** "idle_session_timeout=3s wait_timeout=off" as the server would report it, in ms. */
  static ServerTimeouts timeouts(Product product, String settings) {
    Map<ServerSetting, Long> values = new EnumMap<>(ServerSetting.class);
    for (String pair : settings.trim().split("\\s+")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] nameValue = pair.split("=", 2);
      ServerSetting setting = ServerSetting.named(product, nameValue[0]);
      if (setting == null) {
        throw new IllegalArgumentException("no setting " + nameValue[0] + " for " + product);
      }
      long nanos = Durations.parseNanos(nameValue[1]);
      values.put(setting, nanos == Durations.OFF ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos));
    }
    return new ServerTimeouts(product, "test", values);
  }
}
