package connguard.policy;

import static connguard.policy.Operation.COMMIT;
import static connguard.policy.Operation.ENABLE_AUTOCOMMIT;
import static connguard.policy.Operation.EXECUTE;
import static connguard.policy.Operation.PREPARE;
import static connguard.policy.Operation.ROLLBACK;
import static connguard.policy.Operation.SESSION_SETTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {

  private static final int MAX = 2;
  private final RetryPolicy policy = new RetryPolicy(MAX);

  /** An execution in autocommit with replayable parameters, else defaults. */
  private static Attempt.Builder exec(String sql) {
    return Attempt.builder(EXECUTE).sql(SqlFacts.of(sql)).replayableParameters(true);
  }

  private static Attempt.Builder inTx(String sql, int work) {
    return exec(sql).autoCommit(false).workInTransaction(work);
  }

  private static Attempt.Builder op(Operation operation) {
    return Attempt.builder(operation);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        // 1. retries exhausted
        row("1 retries exhausted", exec("SELECT 1").retriesSoFar(MAX), Decision.RETRIES_EXHAUSTED),
        row("1 beyond the limit", exec("SELECT 1").retriesSoFar(MAX + 5),
            Decision.RETRIES_EXHAUSTED),
        row("1 under the limit", exec("SELECT 1").retriesSoFar(MAX - 1), Decision.READ),
        row("1 exhausted before a rollback heals", op(ROLLBACK).retriesSoFar(MAX),
            Decision.RETRIES_EXHAUSTED),
        // 2. pinned session
        row("2 pinned read", exec("SELECT 1").sessionPinned(true), Decision.SESSION_PINNED),
        row("2 pinned unsent write", exec("INSERT INTO t VALUES (1)").provenUnsent(true)
            .sessionPinned(true), Decision.SESSION_PINNED),
        row("2 pinned rollback", op(ROLLBACK).sessionPinned(true), Decision.SESSION_PINNED),
        row("2 pinned prepare", op(PREPARE).sessionPinned(true), Decision.SESSION_PINNED),
        // 3. never-retry hint
        row("3 never-retry read", exec("/* connguard:never-retry */ SELECT 1"),
            Decision.MARKED_NEVER),
        row("3 never-retry unsent", exec("/* connguard:never-retry */ SELECT 1")
            .provenUnsent(true), Decision.MARKED_NEVER),
        row("3 never beats idempotent",
            exec("/* connguard:idempotent */ /* connguard:never-retry */ UPDATE t SET a = 1"),
            Decision.MARKED_NEVER),
        // 4. commit
        row("4 commit of empty transaction", op(COMMIT).autoCommit(false),
            Decision.EMPTY_TRANSACTION),
        row("4 commit with work", op(COMMIT).autoCommit(false).workInTransaction(3),
            Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 commit with unknown work", op(COMMIT).autoCommit(false).workInTransaction(-1),
            Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 commit with work proven unsent", op(COMMIT).autoCommit(false).workInTransaction(1)
            .provenUnsent(true), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 setAutoCommit(true) of empty transaction", op(ENABLE_AUTOCOMMIT).autoCommit(false),
            Decision.EMPTY_TRANSACTION),
        row("4 setAutoCommit(true) with work", op(ENABLE_AUTOCOMMIT).autoCommit(false)
            .workInTransaction(2), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 COMMIT statement with work", inTx("COMMIT", 2), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 END statement with work", inTx("END", 1), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 COMMIT statement with work, idempotent by regex", inTx("COMMIT", 2)
            .idempotentSqlMatch(true), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 COMMIT statement of empty transaction", inTx("COMMIT", 0),
            Decision.EMPTY_TRANSACTION),
        // 5. rollback
        row("5 rollback with work", op(ROLLBACK).autoCommit(false).workInTransaction(5),
            Decision.ALREADY_ROLLED_BACK),
        row("5 rollback without work", op(ROLLBACK).autoCommit(false),
            Decision.ALREADY_ROLLED_BACK),
        row("5 ROLLBACK statement with work", inTx("ROLLBACK", 5), Decision.ALREADY_ROLLED_BACK),
        row("5 ROLLBACK TO SAVEPOINT is not a rollback", inTx("ROLLBACK TO SAVEPOINT s", 5),
            Decision.TRANSACTION_BROKEN),
        // 6. prepare and setters
        row("6 prepare in autocommit", op(PREPARE), Decision.NO_DATA_EFFECT),
        row("6 prepare at transaction start", op(PREPARE).autoCommit(false),
            Decision.NO_DATA_EFFECT),
        row("6 setter in autocommit", op(SESSION_SETTER), Decision.NO_DATA_EFFECT),
        row("6 setAutoCommit(false)", op(SESSION_SETTER).autoCommit(true),
            Decision.NO_DATA_EFFECT),
        // 7. broken transaction (also for prepare and setters: the heal would hide it)
        row("7 read after work", inTx("SELECT 1", 1), Decision.TRANSACTION_BROKEN),
        row("7 write after work", inTx("INSERT INTO t VALUES (1)", 3),
            Decision.TRANSACTION_BROKEN),
        row("7 unsent after work", inTx("SELECT 1", 1).provenUnsent(true),
            Decision.TRANSACTION_BROKEN),
        row("7 idempotent hint after work", inTx("/* connguard:idempotent */ UPDATE t SET a = 1",
            1), Decision.TRANSACTION_BROKEN),
        row("7 idempotentSql after work", inTx("UPDATE t SET a = 1", 1).idempotentSqlMatch(true),
            Decision.TRANSACTION_BROKEN),
        row("7 unknown work", inTx("SELECT 1", -1), Decision.TRANSACTION_BROKEN),
        row("7 prepare after work", op(PREPARE).autoCommit(false).workInTransaction(2),
            Decision.TRANSACTION_BROKEN),
        row("7 setter after work", op(SESSION_SETTER).autoCommit(false).workInTransaction(2),
            Decision.TRANSACTION_BROKEN),
        // 7 with transactionReplay: replay the earlier work, verified, then run the call
        row("7 replay: write after work", inTx("INSERT INTO t VALUES (1)", 3).transactionReplay(true),
            Decision.REPLAY_TRANSACTION),
        row("7 replay: read after work", inTx("SELECT 1", 1).transactionReplay(true),
            Decision.REPLAY_TRANSACTION),
        row("7 replay: prepare after work", op(PREPARE).autoCommit(false).workInTransaction(2)
            .transactionReplay(true), Decision.REPLAY_TRANSACTION),
        row("7 replay: not a statement that commits by itself", inTx("CREATE TABLE x (a int)", 2)
            .transactionReplay(true), SqlFacts.of("CREATE TABLE x (a int)").commitsImplicitly()
            ? Decision.TRANSACTION_BROKEN : Decision.REPLAY_TRANSACTION),
        row("7 replay: consumed stream", inTx("INSERT INTO t VALUES (?)", 1).transactionReplay(true)
            .replayableParameters(false), Decision.PARAMETERS_NOT_REPLAYABLE),
        row("7 replay: never-retry hint still wins", inTx("/* connguard:never-retry */ SELECT 1", 1)
            .transactionReplay(true), Decision.MARKED_NEVER),
        row("7 replay: pinned session still wins", inTx("SELECT 1", 1).transactionReplay(true)
            .sessionPinned(true), Decision.SESSION_PINNED),
        row("7 replay: first statement needs none", inTx("INSERT INTO t VALUES (1)", 0)
            .transactionReplay(true), Decision.FIRST_IN_TRANSACTION),
        // 4 with transactionReplay / resolveCommitOutcome: a lost COMMIT reply is asked about, never re-sent
        row("4 commit, outcome resolvable", op(COMMIT).autoCommit(false).workInTransaction(2)
            .commitOutcomeResolvable(true), Decision.RESOLVE_COMMIT_OUTCOME),
        row("4 commit, replay on, reply lost", op(COMMIT).autoCommit(false).workInTransaction(2)
            .transactionReplay(true), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 commit proven unsent, replay on", op(COMMIT).autoCommit(false).workInTransaction(2)
            .provenUnsent(true).transactionReplay(true), Decision.REPLAY_TRANSACTION),
        row("4 COMMIT statement never resolved", inTx("COMMIT", 2).commitOutcomeResolvable(true)
            .transactionReplay(true), Decision.COMMIT_OUTCOME_UNKNOWN),
        row("4 setAutoCommit(true) never resolved", op(ENABLE_AUTOCOMMIT).autoCommit(false)
            .workInTransaction(2).commitOutcomeResolvable(true), Decision.COMMIT_OUTCOME_UNKNOWN),
        // 8. parameters
        row("8 consumed stream", exec("SELECT * FROM t WHERE b = ?").replayableParameters(false),
            Decision.PARAMETERS_NOT_REPLAYABLE),
        row("8 consumed stream even unsent", exec("INSERT INTO t VALUES (?)")
            .replayableParameters(false).provenUnsent(true), Decision.PARAMETERS_NOT_REPLAYABLE),
        row("8 default is not replayable", Attempt.builder(EXECUTE).sql(SqlFacts.of("SELECT 1")),
            Decision.PARAMETERS_NOT_REPLAYABLE),
        // 8b. answers that belong to the lost session: never, not even unsent or first
        row("8b LAST_INSERT_ID()", exec("SELECT LAST_INSERT_ID()"), Decision.SESSION_BOUND_READ),
        row("8b currval unsent", exec("SELECT currval('s')").provenUnsent(true),
            Decision.SESSION_BOUND_READ),
        row("8b FOUND_ROWS() first in transaction", inTx("SELECT FOUND_ROWS()", 0),
            Decision.SESSION_BOUND_READ),
        row("8b @@IDENTITY declared idempotent", exec("SELECT @@IDENTITY").idempotentSqlMatch(true),
            Decision.SESSION_BOUND_READ),
        row("8b after a replayed transaction", inTx("SELECT lastval()", 2).transactionReplay(true),
            Decision.SESSION_BOUND_READ),
        row("8b broken transaction first", inTx("SELECT lastval()", 2),
            Decision.TRANSACTION_BROKEN),
        // 9. proven unsent
        row("9 unsent write in autocommit", exec("INSERT INTO t VALUES (1)").provenUnsent(true),
            Decision.NEVER_SENT),
        row("9 unsent unknown text", exec("SELECT 'abc").provenUnsent(true), Decision.NEVER_SENT),
        row("9 unsent call", exec("CALL p()").provenUnsent(true), Decision.NEVER_SENT),
        row("9 unsent first DDL in transaction", inTx("CREATE TABLE t (a int)", 0)
            .provenUnsent(true), Decision.NEVER_SENT),
        row("9 unsent sequence fetch", exec("SELECT NEXT VALUE FOR s").provenUnsent(true),
            Decision.NEVER_SENT),
        // 10. first statement of a transaction
        row("10 first sequence fetch", inTx("select next value for users_SEQ", 0),
            Decision.FIRST_IN_TRANSACTION),
        row("10 first write", inTx("INSERT INTO t VALUES (1)", 0),
            Decision.FIRST_IN_TRANSACTION),
        row("10 first read", inTx("SELECT 1", 0), Decision.FIRST_IN_TRANSACTION),
        row("10 first write calling a function", inTx("UPDATE t SET a = f(1)", 0),
            Decision.FIRST_IN_TRANSACTION),
        row("10 first DDL commits by itself in MySQL", inTx("CREATE TABLE t (a int)", 0),
            Decision.WRITE_OUTCOME_UNKNOWN),
        row("10 first TRUNCATE commits by itself in MySQL", inTx("TRUNCATE t", 0),
            Decision.WRITE_OUTCOME_UNKNOWN),
        row("10 first CALL may commit inside", inTx("CALL p()", 0),
            Decision.WRITE_OUTCOME_UNKNOWN),
        row("10 first unreadable text", inTx("INSERT INTO t VALUES ('a\\b')", 0),
            Decision.WRITE_OUTCOME_UNKNOWN),
        row("10 first DDL declared idempotent", inTx("/* connguard:idempotent */ "
            + "CREATE TABLE IF NOT EXISTS t (a int)", 0), Decision.DECLARED_IDEMPOTENT),
        // 11. reads, session statements, transaction starts
        row("11 read", exec("SELECT * FROM t"), Decision.READ),
        row("11 batch of reads", Attempt.builder(EXECUTE).replayableParameters(true)
            .sql(SqlFacts.combine(Arrays.asList(SqlFacts.of("SELECT 1"), SqlFacts.of("SELECT 2")))),
            Decision.READ),
        row("11 session statement", exec("SET search_path = app"), Decision.SESSION_STATEMENT),
        row("11 transaction-scoped session statement", exec("SET LOCAL x = 1"),
            Decision.SESSION_STATEMENT),
        row("11 BEGIN", exec("BEGIN"), Decision.TRANSACTION_CONTROL),
        row("11 START TRANSACTION", exec("START TRANSACTION"), Decision.TRANSACTION_CONTROL),
        row("11 SET GLOBAL is a write", exec("SET GLOBAL max_connections = 1"),
            Decision.WRITE_OUTCOME_UNKNOWN),
        // 12. declared idempotent
        row("12 idempotent hint", exec("/* connguard:idempotent */ INSERT INTO t VALUES (1) "
            + "ON CONFLICT DO NOTHING"), Decision.DECLARED_IDEMPOTENT),
        row("12 idempotentSql match", exec("UPDATE t SET a = 1 WHERE id = 2")
            .idempotentSqlMatch(true), Decision.DECLARED_IDEMPOTENT),
        row("12 idempotentSql match on unknown text", exec("FLUSH TABLES")
            .idempotentSqlMatch(true), Decision.DECLARED_IDEMPOTENT),
        // 13. everything else
        row("13 write in autocommit", exec("INSERT INTO t VALUES (1)"),
            Decision.WRITE_OUTCOME_UNKNOWN),
        row("13 hostile read-looking write", exec("WITH x AS (DELETE FROM t RETURNING *) "
            + "SELECT * FROM x"), Decision.WRITE_OUTCOME_UNKNOWN),
        row("13 nextval", exec("SELECT nextval('s')"), Decision.SEQUENCE_FETCH_OUTCOME_UNKNOWN),
        row("13 NEXT VALUE FOR", exec("select next value for users_SEQ"),
            Decision.SEQUENCE_FETCH_OUTCOME_UNKNOWN),
        row("13 Oracle-mode nextval", exec("SELECT s.nextval FROM DUAL"),
            Decision.SEQUENCE_FETCH_OUTCOME_UNKNOWN),
        row("13 sequence fetch declared idempotent", exec("SELECT nextval('s')")
            .idempotentSqlMatch(true), Decision.DECLARED_IDEMPOTENT),
        row("13 unknown text", exec("SELECT 'abc"), Decision.WRITE_OUTCOME_UNKNOWN),
        row("13 no text", Attempt.builder(EXECUTE).replayableParameters(true),
            Decision.WRITE_OUTCOME_UNKNOWN),
        row("13 batch with a write", Attempt.builder(EXECUTE).replayableParameters(true)
            .sql(SqlFacts.combine(Arrays.asList(SqlFacts.of("SELECT 1"),
                SqlFacts.of("DELETE FROM t")))), Decision.WRITE_OUTCOME_UNKNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void decides(String name, Attempt.Builder attempt, Decision expected) {
    Attempt a = attempt.build();
    assertSame(expected, policy.decide(a).category(), a.toString());
  }

  @Test
  void zeroRetriesSurfacesEverything() {
    RetryPolicy off = new RetryPolicy(0);
    assertSame(Decision.RETRIES_EXHAUSTED, off.decide(exec("SELECT 1").build()));
    assertSame(Decision.RETRIES_EXHAUSTED, off.decide(op(ROLLBACK).build()));
  }

  @Test
  void negativeMaxRetriesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1));
  }

  @Test
  void missingAttemptOrOperationSurfaces() {
    assertSame(Decision.UNKNOWN_OPERATION, policy.decide(null));
    assertSame(Decision.UNKNOWN_OPERATION, policy.decide(Attempt.builder(null).build()));
  }

  @Test
  void reasonsAndOutcomes() {
    assertRetry(false, "retries exhausted", Decision.RETRIES_EXHAUSTED);
    assertRetry(false, "session state cannot be restored", Decision.SESSION_PINNED);
    assertRetry(false, "statement marked never-retry", Decision.MARKED_NEVER);
    assertRetry(true, "empty transaction: nothing to lose", Decision.EMPTY_TRANSACTION);
    assertRetry(false, "commit outcome unknown", Decision.COMMIT_OUTCOME_UNKNOWN);
    assertRetry(true, "server rolled back already", Decision.ALREADY_ROLLED_BACK);
    assertRetry(false, "transaction broken: earlier work was rolled back",
        Decision.TRANSACTION_BROKEN);
    assertRetry(true, "no data effect", Decision.NO_DATA_EFFECT);
    assertRetry(false, "parameters cannot be replayed (stream)",
        Decision.PARAMETERS_NOT_REPLAYABLE);
    assertRetry(true, "never sent", Decision.NEVER_SENT);
    assertRetry(true, "first statement of a transaction", Decision.FIRST_IN_TRANSACTION);
    assertRetry(true, "read", Decision.READ);
    assertRetry(true, "session statement", Decision.SESSION_STATEMENT);
    assertRetry(true, "transaction control", Decision.TRANSACTION_CONTROL);
    assertRetry(true, "declared idempotent", Decision.DECLARED_IDEMPOTENT);
    assertRetry(false, "write outcome unknown", Decision.WRITE_OUTCOME_UNKNOWN);
    assertRetry(false, "unknown operation", Decision.UNKNOWN_OPERATION);
    assertRetry(false, "belongs to the lost session", Decision.SESSION_BOUND_READ);
    assertRetry(false, "sequence fetch: outcome unknown", Decision.SEQUENCE_FETCH_OUTCOME_UNKNOWN);
    assertEquals("SURFACE: write outcome unknown", Decision.WRITE_OUTCOME_UNKNOWN.toString());
  }

  @Test
  void reasonsNameTheStatementsOwnWords() {
    Decision lastId = policy.decide(exec("SELECT LAST_INSERT_ID()").build());
    assertEquals("LAST_INSERT_ID() belongs to the lost session", lastId.reason());
    assertSame(Decision.SESSION_BOUND_READ, lastId.category());
    Decision currval = policy.decide(Attempt.builder(EXECUTE).replayableParameters(true)
        .sql(SqlFacts.of("select currval('s')", Dialect.POSTGRESQL)).build());
    assertEquals("currval() belongs to the lost session", currval.reason());
    Decision sequence = policy.decide(Attempt.builder(EXECUTE).replayableParameters(true)
        .sql(SqlFacts.of("select next value for users_SEQ", Dialect.MARIADB)).build());
    assertEquals("sequence fetch: NEXT VALUE FOR", sequence.reason());
    assertSame(Decision.SEQUENCE_FETCH_OUTCOME_UNKNOWN, sequence.category());
    Decision call = policy.decide(Attempt.builder(EXECUTE).replayableParameters(true)
        .sql(SqlFacts.of("select audit_touch(1)", Dialect.POSTGRESQL)).build());
    assertEquals("calls audit_touch(), not known to be free of side effects", call.reason());
    assertSame(Decision.WRITE_OUTCOME_UNKNOWN, call.category());
    assertFalse(call.isRetry());
  }

  @Test
  void toBuilderKeepsEveryField() {
    Attempt a = inTx("SELECT 1", 3).provenUnsent(true).idempotentSqlMatch(true)
        .sessionPinned(true).retriesSoFar(1).build();
    Attempt b = a.toBuilder().build();
    assertEquals(a.toString(), b.toString());
    assertEquals(2, a.toBuilder().retriesSoFar(2).build().retriesSoFar());
    assertTrue(b.isProvenUnsent() && b.isIdempotentSqlMatch() && b.isSessionPinned());
    assertFalse(b.isAutoCommit());
    assertEquals(3, b.workInTransaction());
    assertSame(a.sql(), b.sql());
  }

  /**
   * Every combination of inputs, against the promises the rules exist for: no duplicated write,
   * no half transaction, no lost session state.
   */
  @Test
  void invariantsHoldForEveryCombination() {
    String[] texts = {"SELECT 1", "INSERT INTO t VALUES (1)", "SET x = 1", "BEGIN", "COMMIT",
        "SELECT LAST_INSERT_ID()", "SELECT NEXT VALUE FOR s", "SELECT nextval('s')",
        "ROLLBACK", "CREATE TABLE t (a int)", "SELECT 'abc", null,
        "/* connguard:idempotent */ UPDATE t SET a = 1", "/* connguard:never-retry */ SELECT 1"};
    int checked = 0;
    for (Operation op : Operation.values()) {
      for (String text : texts) {
        SqlFacts sql = SqlFacts.of(text);
        for (int bits = 0; bits < 128; bits++) {
          for (int work = -1; work <= 2; work++) {
            Attempt a = Attempt.builder(op).sql(sql)
                .autoCommit((bits & 1) != 0)
                .provenUnsent((bits & 2) != 0)
                .replayableParameters((bits & 4) != 0)
                .idempotentSqlMatch((bits & 8) != 0)
                .sessionPinned((bits & 16) != 0)
                .retriesSoFar((bits & 32) != 0 ? MAX : (bits & 64) != 0 ? 1 : 0)
                .workInTransaction(work)
                .build();
            Decision d = policy.decide(a);
            checked++;
            if (!d.isRetry()) {
              continue;
            }
            String why = a + " -> " + d;
            boolean rollback = op == ROLLBACK
                || (op == EXECUTE && sql.kind() == SqlKind.TX_ROLLBACK);
            boolean commit = op == COMMIT || op == ENABLE_AUTOCOMMIT
                || (op == EXECUTE && sql.kind() == SqlKind.TX_COMMIT);
            assertTrue(a.retriesSoFar() < MAX, why);
            assertFalse(a.isSessionPinned(), why);
            assertFalse(sql.hint() == RetryHint.NEVER, why);
            assertFalse(commit && work != 0, "a commit that may have applied: " + why);
            assertFalse(!a.isAutoCommit() && work != 0 && !rollback, "half a transaction: " + why);
            assertFalse(op == EXECUTE && sql.kind() == SqlKind.SESSION_BOUND_READ,
                "an answer of the lost session: " + why);
            if (op == EXECUTE && !rollback && !commit) {
              assertTrue(a.hasReplayableParameters(), why);
              boolean changesNoData = sql.kind() == SqlKind.READ || sql.kind() == SqlKind.SESSION
                  || sql.kind() == SqlKind.TX_BEGIN;
              boolean rolledBackByServer = !a.isAutoCommit() && work == 0
                  && !sql.commitsImplicitly();
              boolean declared = sql.hint() == RetryHint.IDEMPOTENT || a.isIdempotentSqlMatch();
              assertTrue(changesNoData || rolledBackByServer || declared || a.isProvenUnsent(),
                  "a write that may have applied: " + why);
            }
          }
        }
      }
    }
    assertEquals(Operation.values().length * texts.length * 128 * 4, checked);
  }

  private static void assertRetry(boolean retry, String reason, Decision d) {
    assertEquals(retry, d.isRetry(), reason);
    assertEquals(reason, d.reason());
  }

  private static Arguments row(String name, Attempt.Builder attempt, Decision expected) {
    return Arguments.of(name, attempt, expected);
  }
}
