package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdempotentSqlTest {

  @Test
  void noneMatchesNothing() {
    assertFalse(IdempotentSql.NONE.matches("insert into audit_log values (1)"));
    assertFalse(IdempotentSql.NONE.matches(""));
    assertEquals("none", IdempotentSql.NONE.toString());
  }

  @Test
  void nullSqlIsNotIdempotent() {
    assertFalse(IdempotentSql.compile(".*").matches(null));
  }

  @ParameterizedTest(name = "/{0}/ on \"{1}\" is {2}")
  @CsvSource(delimiter = '|', value = {
      "^\\s*insert into audit_log|  insert into audit_log values (1)|true",
      "^\\s*insert into audit_log|update audit_log set x = 1|false",
      "audit_log|insert into audit_log values (1)|true",
      "(?i)^insert into audit|INSERT INTO AUDIT_LOG VALUES (1)|true",
      "^insert into audit|INSERT INTO AUDIT_LOG VALUES (1)|false",
      "^merge into counters$|merge into counters|true",
      "^merge into counters$|merge into counters_old|false",
  })
  void matchesWithFindSemantics(String regex, String sql, boolean idempotent) {
    assertEquals(idempotent, IdempotentSql.compile(regex).matches(sql));
  }

  @Test
  void catastrophicBacktrackingGivesUpAndSaysNotIdempotent() {
    // Exponential on Java 8, which the agent supports; Java 9+ memoizes this loop and finishes.
    IdempotentSql sql = IdempotentSql.compile("(a+)+$");
    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> sql.matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
    assertFalse(matched);
  }

  @Test
  void backtrackingThatNoJdkMemoizesGivesUpAndSaysNotIdempotent() {
    // A back-reference turns off the Java 9+ memoization: without the budget this runs for hours
    // on any JDK. The 5 s bound only guards against a hang; the budget stops it in milliseconds.
    IdempotentSql sql = IdempotentSql.compile("((a+)\\2?)+$");
    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> sql.matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
    assertFalse(matched);
  }

  @Test
  void theSameRegexStillMatchesWhereItIsCheap() {
    assertTrue(IdempotentSql.compile("(a+)+$").matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  }

  @Test
  void budgetGrowsWithTheStatementSoLongSqlStillMatches() {
    StringBuilder sql = new StringBuilder("insert into audit_log values ");
    for (int row = 0; row < 20_000; row++) {
      sql.append("(").append(row).append(", 'x'),");
    }
    sql.append("(0, 'last') -- end");
    assertTrue(IdempotentSql.compile("-- end$").matches(sql.toString()));
  }

  @Test
  void deepRecursionOnALongStatementSaysNotIdempotent() {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < 2_000_000; i++) {
      sql.append("ab");
    }
    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> IdempotentSql.compile("^(a|b)*c").matches(sql.toString()));
    assertFalse(matched);
  }

  @Test
  void badRegexDoesNotCompile() {
    assertThrows(PatternSyntaxException.class, () -> IdempotentSql.compile("a(b"));
  }

  @Test
  void printsAsTheRegex() {
    assertEquals("^insert into t(a{1,3})", IdempotentSql.compile("^insert into t(a{1,3})").toString());
  }
}
