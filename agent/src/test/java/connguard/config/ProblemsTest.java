package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProblemsTest {

  @Test
  void badValueLineIsTheContractsWording() {
    assertEquals("connguard: validateIdleAfter=\"2 sec\" is not valid; use 250ms, 2s, 5m, 1h, a number of ms,"
        + " off, or auto (using default 2s)", Problems.badValue(Option.VALIDATE_IDLE_AFTER, "2 sec", null));
  }

  @Test
  void badValueLineCarriesAReasonWhenGiven() {
    assertEquals("connguard: idempotentSql=\"a(b\" is not valid (Unclosed group); use a Java regular expression"
        + " (using default none)", Problems.badValue(Option.IDEMPOTENT_SQL, "a(b", "Unclosed group"));
  }

  @Test
  void unknownOptionLineListsTheKnownOnes() {
    assertEquals("connguard: unknown option \"foo\" ignored; known options: enabled, maxRetries,"
        + " validateIdleAfter, validationTimeout, maxAge, readServerTimeouts, trustDeclaredVolatility, idempotentSql, retryWindow, transactionReplay,"
        + " transactionReplayMaxStatements, transactionReplayMaxBytes, resolveCommitOutcome, resolveCommitOutcomeTable,"
        + " logLevel, dryRun, statsInterval, logFile, logging, metrics, config", Problems.unknownOption("foo"));
  }

  @Test
  void quoteEscapesControlCharactersSoALineStaysOne() {
    assertEquals("\"2 sec\"", Problems.quote("2 sec"));
    assertEquals("\"a\\nb\"", Problems.quote("a\nb"));
    assertEquals("\"a\\rb\"", Problems.quote("a\rb"));
    assertEquals("\"a\\tb\"", Problems.quote("a\tb"));
    assertEquals("\"a\\u0000b\"", Problems.quote("a" + (char) 0 + "b"));
    assertEquals("\"a\\u2028b\"", Problems.quote("a" + (char) 0x2028 + "b"));
  }

  @Test
  void quoteLeavesBackslashesSoARegexReadsAsWritten() {
    assertEquals("\"^\\s*insert\"", Problems.quote("^\\s*insert"));
  }

  @Test
  void quoteCutsLongValues() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append('x');
    }
    String quoted = Problems.quote(text.toString());
    assertEquals(1 + 200 + 3 + 1, quoted.length());
    assertEquals("...\"", quoted.substring(quoted.length() - 4));
  }
}
