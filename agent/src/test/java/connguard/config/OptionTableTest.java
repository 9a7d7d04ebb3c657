package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The option table: names, defaults, and what each kind accepts and refuses. */
class OptionTableTest {

  @Test
  void tableHoldsTheContractsKeysInOrder() {
    List<String> keys = new ArrayList<>();
    for (Option<?> option : Option.ALL) {
      keys.add(option.key);
    }
    assertEquals("[enabled, maxRetries, validateIdleAfter, validationTimeout, maxAge, readServerTimeouts, trustDeclaredVolatility, idempotentSql, "
        + "retryWindow, transactionReplay, transactionReplayMaxStatements, transactionReplayMaxBytes, "
        + "resolveCommitOutcome, resolveCommitOutcomeTable, logLevel, dryRun, statsInterval, logFile, logging, metrics, config]",
        keys.toString());
  }

  @ParameterizedTest(name = "default of {0} is {1}")
  @CsvSource({
      "enabled, true",
      "maxRetries, 2",
      "validateIdleAfter, 2s",
      "validationTimeout, 2s",
      "maxAge, off",
      "idempotentSql, none",
      "retryWindow, 15s",
      "transactionReplay, false",
      "transactionReplayMaxStatements, 1000",
      "transactionReplayMaxBytes, 1MiB",
      "resolveCommitOutcome, auto",
      "resolveCommitOutcomeTable, none",
      "logLevel, info",
      "logging, agent",
      "metrics, auto",
      "config, none",
  })
  void defaultsAreTheContracts(String key, String defaultText) {
    assertEquals(defaultText, Option.named(key).defaultText());
  }

  @ParameterizedTest(name = "\"{0}\" names {1}")
  @CsvSource({
      "maxRetries, maxRetries",
      "maxretries, maxRetries",
      "MAXRETRIES, maxRetries",
      "validateidleafter, validateIdleAfter",
  })
  void namesMatchInAnyLetterCase(String name, String key) {
    assertEquals(key, Option.named(name).key);
  }

  @Test
  void unknownNameIsNull() {
    assertNull(Option.named("maxRetry"));
    assertNull(Option.named(""));
  }

  @ParameterizedTest(name = "{0}=\"{1}\" reads as {2}")
  @CsvSource(delimiter = '|', value = {
      "enabled|true|true", "enabled|TRUE|true", "enabled|yes|true", "enabled|Yes|true",
      "enabled|on|true", "enabled|1|true", "enabled|' true '|true",
      "enabled|false|false", "enabled|no|false", "enabled|OFF|false", "enabled|0|false",
      "transactionReplay|on|true", "transactionReplay|no|false",
      "transactionReplayMaxStatements|2|2", "transactionReplayMaxStatements|' 50 '|50",
      "transactionReplayMaxBytes|1048576|1MiB", "transactionReplayMaxBytes|512KiB|512KiB", "transactionReplayMaxBytes|100|100",
      "transactionReplayMaxBytes|2m|2MiB",
      "resolveCommitOutcomeTable|connguard_commit_token|\"connguard_commit_token\"",
      "resolveCommitOutcomeTable|app.cg_token|\"app.cg_token\"",
      "resolveCommitOutcome|auto|auto", "resolveCommitOutcome|ON|on", "resolveCommitOutcome|false|off",
      "maxRetries|0|0", "maxRetries|10|10", "maxRetries|' 3 '|3", "maxRetries|007|7",
      "validateIdleAfter|off|off", "validateIdleAfter|0|0ms", "validateIdleAfter|250ms|250ms",
      "validateIdleAfter|5000|5s", "validateIdleAfter|auto|auto", "validateIdleAfter|' AUTO '|auto",
      "validationTimeout|1|1ms", "validationTimeout|250ms|250ms", "validationTimeout|1h|1h",
      "maxAge|30m|30m", "maxAge|OFF|off", "maxAge|0|0ms",
      "retryWindow|30s|30s", "retryWindow|1|1ms",
      "logLevel|error|error", "logLevel|WARN|warn", "logLevel|' Debug '|debug", "logLevel|info|info",
      "idempotentSql|^insert into audit|\"^insert into audit\"",
      "config|/etc/connguard.properties|\"/etc/connguard.properties\"",
  })
  void acceptedValuesReadAsExpected(String key, String text, String printed) {
    assertEquals(printed, parseAndPrint(Option.named(key), text));
  }

  @ParameterizedTest(name = "{0}=\"{1}\" is refused")
  @CsvSource(delimiter = '|', value = {
      "enabled|maybe", "enabled|", "enabled|2", "enabled|truee",
      "transactionReplay|sometimes",
      "transactionReplayMaxStatements|0", "transactionReplayMaxStatements|-1", "transactionReplayMaxStatements|lots",
      "transactionReplayMaxBytes|0", "transactionReplayMaxBytes|1GB", "transactionReplayMaxBytes|",
      "resolveCommitOutcome|maybe",
      "resolveCommitOutcomeTable|t; drop table x", "resolveCommitOutcomeTable|1abc", "resolveCommitOutcomeTable|a.b.c",
      "maxRetries|11", "maxRetries|-1", "maxRetries|+2", "maxRetries|two", "maxRetries|2.0",
      "maxRetries|99999999999", "maxRetries|",
      "validateIdleAfter|2 sec", "validateIdleAfter|-1s", "validateIdleAfter|",
      "validationTimeout|off", "validationTimeout|0", "validationTimeout|0ms", "validationTimeout|soon",
      "maxAge|forever", "maxAge|auto", "statsInterval|auto", "validationTimeout|auto",
      "retryWindow|off", "retryWindow|0s", "retryWindow|15 s",
      "logLevel|trace", "logLevel|warning", "logLevel|",
      "idempotentSql|a(b", "idempotentSql|[", "idempotentSql|*insert",
  })
  void refusedValuesThrow(String key, String text) {
    Option<?> option = Option.named(key);
    assertThrows(IllegalArgumentException.class, () -> option.kind.parse(text == null ? "" : text));
  }

  @Test
  void emptyIdempotentSqlIsNoneNotMatchEverything() {
    assertEquals(IdempotentSql.NONE, Option.IDEMPOTENT_SQL.kind.parse(""));
  }

  @Test
  void onlyARegexRefusalCarriesAReason() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Option.IDEMPOTENT_SQL.kind.parse("a(b"));
    assertEquals("Unclosed group", Option.IDEMPOTENT_SQL.kind.reasonFor(refused));

    IllegalArgumentException durationRefused =
        assertThrows(IllegalArgumentException.class, () -> Option.MAX_AGE.kind.parse("2 sec"));
    assertNull(Option.MAX_AGE.kind.reasonFor(durationRefused));
    assertNotNull(durationRefused.getMessage(), "Durations still explains itself to other callers");
  }

  private static <T> String parseAndPrint(Option<T> option, String text) {
    return option.kind.print(option.kind.parse(text));
  }
}
