package connguard.policy;

import static connguard.policy.SqlKind.READ;
import static connguard.policy.SqlKind.SEQUENCE_FETCH;
import static connguard.policy.SqlKind.SESSION_BOUND_READ;
import static connguard.policy.SqlKind.SESSION;
import static connguard.policy.SqlKind.TX_BEGIN;
import static connguard.policy.SqlKind.TX_COMMIT;
import static connguard.policy.SqlKind.TX_ROLLBACK;
import static connguard.policy.SqlKind.UNKNOWN;
import static connguard.policy.SqlKind.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlFactsTest {

  /**
   * sql, kind, flags. Flags name what is true among restores, clears, pins, idempotent, never;
   * everything not named must be false.
   */
  static Stream<Arguments> reads() {
    return Stream.of(
        row("SELECT 1", READ, ""),
        row("  SeLeCt 1  ;  ", READ, ""),
        row("SELECT 1;", READ, ""),
        row("SELECT 1; SELECT 2", READ, ""),
        row("select * from t where name = 'DELETE'", READ, ""),
        row("SELECT * FROM t WHERE a = 'it''s; DROP TABLE t'", READ, ""),
        row("SELECT lower(name), count(*) FROM users GROUP BY 1", READ, ""),
        row("SELECT \"insert\" FROM t", READ, ""),
        row("SELECT \"a\"\"; DELETE FROM t\" FROM t", READ, ""),
        row("SELECT `order`, `a``b` FROM t", READ, ""),
        row("SELECT 'żółw' AS ✓", READ, ""),
        row("SELECT 'żółw' AS \"✓\", ünïcödé, 名前 FROM tábla", READ, ""),
        row("SELECT 1 -- trailing comment", READ, ""),
        row("SELECT 1 /* a comment */", READ, ""),
        row("SELECT 1--1", READ, ""),
        row("WITH x AS (SELECT 1) SELECT * FROM x", READ, ""),
        row("WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 5) "
            + "SELECT sum(n) FROM t", READ, ""),
        row("WITH a AS (SELECT 1), b(x) AS (SELECT 2) SELECT * FROM a, b", READ, ""),
        row("WITH a(x) AS MATERIALIZED (SELECT 1) SELECT * FROM a", READ, ""),
        row("WITH \"A\"(x) AS NOT MATERIALIZED (SELECT 1) SELECT * FROM \"A\"", READ, ""),
        row("SHOW search_path", READ, ""),
        row("SHOW TABLES", READ, ""),
        row("SHOW CREATE TABLE t", READ, ""),
        row("SHOW CHARACTER SET", READ, ""),
        row("VALUES (1, 'a'), (2, 'b')", READ, ""),
        row("TABLE t", READ, ""),
        row("EXPLAIN SELECT * FROM t", READ, ""),
        row("EXPLAIN (FORMAT JSON) SELECT 1", READ, ""),
        row("DESCRIBE t", READ, ""),
        row("DESC t", READ, ""),
        row("(SELECT 1) UNION (SELECT 2)", READ, ""),
        row("SELECT id::text, x::numeric(10,2) FROM t", READ, ""),
        row("SELECT CAST(x AS varchar(20)), CAST(y AS DECIMAL(10, 2)) FROM t", READ, ""),
        row("SELECT * FROM t WHERE id IN (?, ?) AND x = ANY(?)", READ, ""),
        row("SELECT * FROM t WHERE id = $1 AND name = $2", READ, ""),
        row("SELECT * FROM a JOIN b USING (id) LEFT JOIN (SELECT 1 AS id) c ON (c.id = a.id)",
            READ, ""),
        row("SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t", READ, ""),
        row("SELECT count(*) FILTER (WHERE x > 0) FROM t", READ, ""),
        row("SELECT string_agg(x, ',') WITHIN GROUP (ORDER BY x) FROM t", READ, ""),
        row("SELECT pg_catalog.lower(name) FROM t", READ, ""),
        row("SELECT * FROM generate_series(1, 3) AS g(n)", READ, ""),
        row("SELECT * FROM (VALUES (1, 2)) v(a, b)", READ, ""),
        row("SELECT currval('s'), lastval(), last_insert_id()", SESSION_BOUND_READ, ""),
        row("SELECT pg_sleep(1), sleep(1)", READ, ""),
        row("SELECT replace(name, 'a', 'b') FROM t", READ, ""),
        row("SELECT data #>> '{a,b}' FROM t", READ, ""),
        row("SELECT date_trunc('day', ts) AT TIME ZONE 'UTC' FROM t", READ, ""),
        row("SELECT EXISTS (SELECT 1 FROM t)", READ, ""),
        row("SELECT CASE WHEN (a > 1) THEN 'x' ELSE 'y' END FROM t", READ, ""),
        row("SELECT substring(s FROM 1 FOR 2), extract(epoch FROM ts) FROM t", READ, ""),
        row("SELECT * FROM t ORDER BY id DESC LIMIT 10 OFFSET 5", READ, ""),
        row("SELECT $$it is; DELETE$$ ", UNKNOWN, ""),
        row("SELECT ifnull(a, 0), date_format(d, '%Y'), if(a, 1, 2) FROM t", READ, ""),
        row("SELECT updated_at, settings, into_x FROM t", READ, ""));
  }

  static Stream<Arguments> writes() {
    return Stream.of(
        // hostile: a read keyword somewhere, a write in fact
        row("/* SELECT */ INSERT INTO t VALUES (1)", WRITE, ""),
        row("-- select\nDELETE FROM t", WRITE, ""),
        row("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", WRITE, ""),
        row("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", WRITE, ""),
        row("SELECT f()", WRITE, ""),
        row("SELECT nextval('s')", SEQUENCE_FETCH, ""),
        row("SELECT setval('s', 1)", WRITE, ""),
        row("SELECT * FROM t FOR UPDATE", WRITE, ""),
        row("SELECT * FROM t FOR NO KEY UPDATE", WRITE, ""),
        row("SELECT * FROM t FOR SHARE", WRITE, ""),
        row("SELECT * FROM t FOR KEY SHARE", WRITE, ""),
        row("SELECT * FROM t LOCK IN SHARE MODE", WRITE, ""),
        row("SELECT * INTO new_t FROM t", WRITE, ""),
        row("SELECT * FROM t INTO OUTFILE '/tmp/x'", WRITE, ""),
        row("SELECT 1; DELETE FROM t", WRITE, ""),
        row("SELECT $$ ; $$; DELETE FROM t", WRITE, ""),
        row("SELECT $tag$ ; $$ ; $tag$; DELETE FROM t", WRITE, ""),
        row("SELECT pg_advisory_lock(1)", WRITE, "locks+1"),
        row("SELECT pg_advisory_lock_shared(1)", WRITE, "locks+1"),
        row("SELECT pg_try_advisory_lock(1)", WRITE, "locks+1"),
        row("SELECT pg_catalog.pg_try_advisory_lock_shared(1)", WRITE, "locks+1"),
        row("SELECT pg_advisory_xact_lock(1)", WRITE, ""),
        row("SELECT pg_try_advisory_xact_lock(1)", WRITE, ""),
        row("SELECT GET_LOCK('job', 10)", WRITE, "locks+1"),
        // Flyway's migration lock, released at the end of the migration; Rails', MySQL's
        row("SELECT pg_advisory_unlock(1)", WRITE, "locks-1"),
        row("SELECT pg_advisory_unlock_all()", WRITE, "unlocks-all"),
        row("SELECT RELEASE_LOCK('job')", WRITE, "locks-1"),
        row("SELECT RELEASE_ALL_LOCKS()", WRITE, "unlocks-all"),
        row("SELECT pg_advisory_lock(1), pg_advisory_lock(2)", WRITE, "locks+2"),
        row("EXPLAIN ANALYZE DELETE FROM t", WRITE, ""),
        row("EXPLAIN ANALYZE SELECT 1", WRITE, ""),
        row("EXPLAIN (ANALYZE, BUFFERS) SELECT 1", WRITE, ""),
        row("EXPLAIN DELETE FROM t", WRITE, ""),
        row("DESCRIBE ANALYZE SELECT 1", WRITE, ""),
        row("SELECT myschema.lower(x) FROM t", WRITE, ""),
        row("SELECT a.b.lower(x) FROM t", WRITE, ""),
        row("SELECT x.pg_catalog.lower(y) FROM t", WRITE, ""),
        row("SELECT \"lower\"(x) FROM t", WRITE, ""),
        row("SELECT `f`(x) FROM t", WRITE, ""),
        row("SELECT pg_notify('c', 'x')", WRITE, ""),
        row("SELECT pg_terminate_backend(42)", WRITE, ""),
        row("SELECT pg_cancel_backend(42)", WRITE, ""),
        row("SELECT lo_unlink(1)", WRITE, ""),
        row("SELECT dblink('conn', 'DELETE FROM t')", WRITE, ""),
        row("SELECT set_config('app.tenant', '42', false)", WRITE, "pins"),
        row("SELECT set_config('app.tenant', '42', true)", WRITE, ""),
        row("SELECT last_insert_id(5)", WRITE, ""),
        row("SELECT @rn := @rn + 1 AS rn FROM t", WRITE, "pins"),
        row("SELECT x INTO @v FROM t", WRITE, "pins"),
        row("SELECT * INTO TEMP t2 FROM t", WRITE, "pins"),
        row("SELECT * INTO LOCAL TEMPORARY t2 FROM t", WRITE, "pins"),
        row("SELECT * FROM myfunc(1) AS (a int, b text)", WRITE, ""),
        row("SELECT * FROM t JOIN myfunc(1) f ON true", WRITE, ""),
        row("WITH x(a) AS (SELECT nextval('s')) SELECT * FROM x", SEQUENCE_FETCH, ""),
        row("SHOW TABLES WHERE my_filter(name)", WRITE, ""),
        row("SELECT myfunc # 1\n(5)", WRITE, ""),
        // plain writes by leading keyword
        row("INSERT INTO t VALUES (1)", WRITE, ""),
        row("insert into t(a, b) values (1, lower('X'))", WRITE, ""),
        row("UPDATE t SET a = 1", WRITE, ""),
        row("DELETE FROM t", WRITE, ""),
        row("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", WRITE, ""),
        row("REPLACE INTO t VALUES (1)", WRITE, ""),
        row("UPSERT INTO t VALUES (1)", WRITE, ""),
        row("CALL p()", WRITE, ""),
        row("DO $$ BEGIN PERFORM 1; END $$", WRITE, ""),
        row("COPY t FROM STDIN", WRITE, ""),
        row("CREATE TABLE t (a int)", WRITE, ""),
        row("CREATE TABLE temp (a int)", WRITE, ""),
        row("CREATE TEMP TABLE x (a int)", WRITE, "pins"),
        row("CREATE TEMPORARY TABLE x (a int)", WRITE, "pins"),
        row("create local temporary table x (a int)", WRITE, "pins"),
        row("CREATE OR REPLACE TEMP VIEW v AS SELECT 1", WRITE, "pins"),
        row("ALTER TABLE t ADD COLUMN b int", WRITE, ""),
        row("DROP TABLE t", WRITE, ""),
        row("TRUNCATE t", WRITE, ""),
        row("GRANT SELECT ON t TO u", WRITE, ""),
        row("REVOKE SELECT ON t FROM u", WRITE, ""),
        row("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", WRITE, ""),
        row("LOCK TABLES t WRITE", WRITE, "pins"),
        row("VACUUM t", WRITE, ""),
        row("ANALYZE t", WRITE, ""),
        row("CLUSTER t", WRITE, ""),
        row("REINDEX TABLE t", WRITE, ""),
        row("REFRESH MATERIALIZED VIEW v", WRITE, ""),
        row("NOTIFY c, 'x'", WRITE, ""),
        row("LISTEN c", WRITE, "pins"),
        row("UNLISTEN *", WRITE, ""),
        row("PREPARE p AS SELECT 1", WRITE, "pins"),
        row("PREPARE p FROM 'SELECT 1'", WRITE, "pins"),
        row("PREPARE TRANSACTION 'tx1'", WRITE, "pins"),
        row("COMMIT PREPARED 'tx1'", WRITE, "pins"),
        row("ROLLBACK PREPARED 'tx1'", WRITE, "pins"),
        row("EXECUTE p", WRITE, ""),
        row("DEALLOCATE p", WRITE, ""),
        row("DECLARE c CURSOR FOR SELECT 1", WRITE, "pins"),
        row("DECLARE c CURSOR WITH HOLD FOR SELECT 1", WRITE, "pins"),
        row("FETCH 10 FROM c", WRITE, ""),
        row("MOVE NEXT IN c", WRITE, ""),
        row("CLOSE c", WRITE, ""),
        row("LOAD DATA INFILE 'f' INTO TABLE t", WRITE, ""),
        row("HANDLER t OPEN", WRITE, "pins"),
        row("SAVEPOINT s", WRITE, ""),
        row("RELEASE SAVEPOINT s", WRITE, ""),
        row("ROLLBACK TO SAVEPOINT s", WRITE, ""),
        row("ROLLBACK TO s", WRITE, ""),
        row("INSERT INTO t SELECT pg_advisory_lock(1)", WRITE, "locks+1"),
        row("BEGIN INSERT INTO t VALUES (1); END", WRITE, ""),
        // SET that is not session state
        row("SET GLOBAL max_connections = 10", WRITE, ""),
        row("SET @@global.sql_mode = ''", WRITE, ""),
        row("SET PERSIST max_connections = 10", WRITE, ""),
        row("SET PASSWORD = 'secret'", WRITE, ""),
        row("SET DEFAULT ROLE r TO u", WRITE, ""),
        row("SET STATEMENT max_statement_time = 1 FOR DELETE FROM t", WRITE, ""),
        row("SET @v = f()", WRITE, "pins"),
        row("SET @v = (SELECT x FROM t FOR UPDATE)", WRITE, "pins"),
        row("RESET MASTER", WRITE, ""),
        row("RESET QUERY CACHE", WRITE, ""));
  }

  static Stream<Arguments> sessionAndTransactions() {
    return Stream.of(
        row("SET search_path = a, b", SESSION, "restores"),
        row("SET search_path TO \"$user\", public", SESSION, "restores"),
        row("SET SESSION statement_timeout = '5s'", SESSION, "restores"),
        row("set application_name to 'billing'", SESSION, "restores"),
        row("SET ROLE app", SESSION, "restores"),
        row("SET NAMES utf8mb4", SESSION, "restores"),
        row("SET CHARACTER SET utf8", SESSION, "restores"),
        row("SET TIME ZONE 'UTC'", SESSION, "restores"),
        row("SET TIME ZONE LOCAL", SESSION, "restores"),
        row("SET @v = 1", SESSION, "restores"),
        row("SET @a := 1, @b = 'x'", SESSION, "restores"),
        row("SET @@session.sql_mode = 'STRICT_ALL_TABLES'", SESSION, "restores"),
        row("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", SESSION, "restores"),
        row("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", SESSION, "restores"),
        row("SET SESSION AUTHORIZATION bob", SESSION, "restores"),
        row("SET sql_mode = (SELECT REPLACE(@@sql_mode, 'ONLY_FULL_GROUP_BY', ''))", SESSION,
            "restores"),
        row("USE shop", SESSION, "restores"),
        row("USE `shop`", SESSION, "restores"),
        row("RESET search_path", SESSION, "restores"),
        row("RESET ROLE", SESSION, "restores"),
        row("RESET ALL", SESSION, "restores"),
        row("SET x = 1; SET y = 2", SESSION, "restores"),
        row("SET LOCAL statement_timeout = '1s'", SESSION, ""),
        row("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", SESSION, ""),
        row("SET CONSTRAINTS ALL DEFERRED", SESSION, ""),
        row("SET autocommit = 0", SESSION, "pins"),
        row("SET @@autocommit = 1", SESSION, "pins"),
        row("SET @t = NOW()", SESSION, "pins"),
        row("SET @m = (SELECT max(id) FROM t)", SESSION, "pins"),
        row("SET @r = rand()", SESSION, "pins"),
        row("SET LOCAL a = 1; SET b = 2", SESSION, "pins"),
        row("DISCARD ALL; SET x = 1", SESSION, "pins"),
        row("SET search_path = a; INSERT INTO t VALUES (1)", WRITE, "pins"),
        row("DISCARD ALL", SESSION, "clears"),
        row("DISCARD PLANS", SESSION, ""),
        row("DISCARD TEMP", SESSION, ""),
        row("BEGIN", TX_BEGIN, ""),
        row("begin;", TX_BEGIN, ""),
        row("BEGIN WORK", TX_BEGIN, ""),
        row("BEGIN TRANSACTION", TX_BEGIN, ""),
        row("BEGIN ISOLATION LEVEL SERIALIZABLE", TX_BEGIN, ""),
        row("BEGIN TRANSACTION READ ONLY, DEFERRABLE", TX_BEGIN, ""),
        row("START TRANSACTION", TX_BEGIN, ""),
        row("START TRANSACTION WITH CONSISTENT SNAPSHOT", TX_BEGIN, ""),
        row("START TRANSACTION READ WRITE", TX_BEGIN, ""),
        row("COMMIT", TX_COMMIT, ""),
        row("COMMIT WORK", TX_COMMIT, ""),
        row("COMMIT AND NO CHAIN", TX_COMMIT, ""),
        row("END", TX_COMMIT, ""),
        row("END TRANSACTION;", TX_COMMIT, ""),
        row("ROLLBACK", TX_ROLLBACK, ""),
        row("ROLLBACK WORK", TX_ROLLBACK, ""),
        row("ABORT", TX_ROLLBACK, ""),
        row("INSERT INTO t VALUES (1); BEGIN", WRITE, "pins"),
        row("BEGIN; INSERT INTO t VALUES (1); COMMIT", WRITE, ""));
  }

  static Stream<Arguments> unknowns() {
    return Stream.of(
        row(null, UNKNOWN, ""),
        row("", UNKNOWN, ""),
        row("   \n\t ", UNKNOWN, ""),
        row(";", UNKNOWN, ""),
        row("-- only a comment", UNKNOWN, ""),
        row("/* only a comment */", UNKNOWN, ""),
        row("SELECT 'abc", UNKNOWN, ""),
        row("SELECT \"abc", UNKNOWN, ""),
        row("SELECT `abc", UNKNOWN, ""),
        row("SELECT 1 /* open", UNKNOWN, ""),
        row("SELECT 1 /* /* nested */", UNKNOWN, ""),
        row("SELECT $$abc", UNKNOWN, ""),
        row("SELECT $x$abc$y$", UNKNOWN, ""),
        // a backslash in a literal: PostgreSQL and MySQL end the literal at different quotes
        // unreadable, with a second statement that may be anything: its session effect too
        row("SELECT 'a\\' ; DELETE FROM t; --'", UNKNOWN, "pins"),
        row("INSERT INTO t VALUES ('a\\b')", UNKNOWN, ""),
        row("SELECT E'\\n'", UNKNOWN, ""),
        row("SELECT \"a\\\" ; DELETE FROM t; --\"", UNKNOWN, "pins"),
        row("SET search_path = 'a\\b'", UNKNOWN, "pins"),
        row("INSERT INTO t VALUES ('C:\\temp')", UNKNOWN, ""),
        row("INSERT INTO t VALUES ('a\\'); CREATE TEMP TABLE x (a int); --')", UNKNOWN, "pins"),
        row("SELECT pg_advisory_lock(1), 'a\\b'", UNKNOWN, "pins"),
        // PostgreSQL and MySQL read these differently
        row("SELECT 1 # ' \n ; DELETE FROM t; -- '", UNKNOWN, ""),
        row("SELECT myfunc # 'a'\n(5)", UNKNOWN, ""),
        row("SELECT 1 --x, my_func()", UNKNOWN, ""),
        row("SELECT 1 /* /* */, my_func(1) */", UNKNOWN, ""),
        row("SELECT $$ DELETE FROM t $$", UNKNOWN, ""),
        row("SELECT /*!50000 sleep(1), */ 1", UNKNOWN, ""),
        row("SELECT /*M! sleep(1), */ 1", UNKNOWN, ""),
        // leading keywords we do not know
        row("FLUSH TABLES", UNKNOWN, ""),
        row("KILL 5", UNKNOWN, ""),
        row("START SLAVE", UNKNOWN, ""),
        row("RENAME TABLE a TO b", UNKNOWN, ""),
        row("(INSERT INTO t VALUES (1))", UNKNOWN, ""),
        row("42", UNKNOWN, ""),
        row("ÜPDATE t SET a = 1", UNKNOWN, ""));
  }

  static Stream<Arguments> hints() {
    return Stream.of(
        row("/* connguard:idempotent */ INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", WRITE,
            "idempotent"),
        row("INSERT INTO t VALUES (1) /* CONNGUARD:IDEMPOTENT */", WRITE, "idempotent"),
        row("UPDATE t SET a = 1 /* keep: connguard:idempotent, see JIRA-1 */", WRITE,
            "idempotent"),
        row("/* connguard:never-retry */ SELECT 1", READ, "never"),
        row("SELECT 1 -- connguard:never-retry", READ, "never"),
        row("/* connguard:idempotent connguard:never-retry */ UPDATE t SET a = 1", WRITE,
            "never"),
        row("/* connguard:never-retry */ /* connguard:idempotent */ UPDATE t SET a = 1", WRITE,
            "never"),
        row("UPDATE t SET note = 'connguard:never-retry'", WRITE, "never"),
        row("-- connguard:idempotent\nUPDATE t SET a = 1", WRITE, ""),
        row("UPDATE t SET a = '/* connguard:idempotent */'", WRITE, ""),
        row("/* connguard:idempotent-ish */ UPDATE t SET a = 1", WRITE, ""),
        row("/* xconnguard:idempotent */ UPDATE t SET a = 1", WRITE, ""),
        row("SELECT $$ /* connguard:idempotent */ $$", READ, ""),   // a comment only in MySQL
        row("/* connguard:idempotent */ INSERT INTO t VALUES ('a\\b')", UNKNOWN, "idempotent"),
        row("INSERT INTO t VALUES ('a\\b') /* connguard:idempotent */", UNKNOWN, ""),
        // PostgreSQL: one nested comment; MySQL: a comment, then "still outer */ UPDATE ...". The
        // hint is in a comment either way; the statement is not.
        row("/* outer /* connguard:idempotent */ still outer */ UPDATE t SET a = 1", UNKNOWN,
            "idempotent"),
        row("/* connguard:idempotent */ DELETE FROM a; DELETE FROM b", WRITE, "idempotent"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("reads")
  void readsAreReadOnlyWhenSure(String sql, SqlKind kind, String flags) {
    check(sql, kind, flags);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("writes")
  void writesAreNeverReads(String sql, SqlKind kind, String flags) {
    check(sql, kind, flags);
    assertFalse(SqlFacts.of(sql).isRead());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("sessionAndTransactions")
  void sessionAndTransactionStatements(String sql, SqlKind kind, String flags) {
    check(sql, kind, flags);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("unknowns")
  void unreadableTextIsUnknown(String sql, SqlKind kind, String flags) {
    check(sql, kind, flags);
    assertFalse(SqlFacts.of(sql).isRead());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hints")
  void hintsComeFromComments(String sql, SqlKind kind, String flags) {
    check(sql, kind, flags);
  }

  static Stream<Arguments> implicitCommits() {
    return Stream.of(
        Arguments.of("CREATE TABLE t (a int)", true),
        Arguments.of("ALTER TABLE t ADD b int", true),
        Arguments.of("DROP TABLE t", true),
        Arguments.of("TRUNCATE t", true),
        Arguments.of("GRANT SELECT ON t TO u", true),
        Arguments.of("LOCK TABLES t WRITE", true),
        Arguments.of("CALL p()", true),
        Arguments.of("EXECUTE p", true),
        Arguments.of("RENAME TABLE a TO b", true),
        Arguments.of("BEGIN", true),
        Arguments.of("START TRANSACTION", true),
        Arguments.of("SET autocommit = 1", true),
        Arguments.of("SET PASSWORD = 'x'", true),
        Arguments.of("INSERT INTO t VALUES (1); COMMIT", true),
        Arguments.of("SELECT 'abc", true),
        Arguments.of("INSERT INTO t VALUES ('a\\b')", true),
        Arguments.of(null, true),
        Arguments.of("INSERT INTO t VALUES (1)", false),
        Arguments.of("UPDATE t SET a = 1", false),
        Arguments.of("DELETE FROM t", false),
        Arguments.of("SELECT 1", false),
        Arguments.of("SELECT f()", false),
        Arguments.of("SET x = 1", false),
        Arguments.of("COMMIT", false),
        Arguments.of("ROLLBACK", false),
        Arguments.of("INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)", false));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("implicitCommits")
  void implicitCommits(String sql, boolean commits) {
    assertEquals(commits, SqlFacts.of(sql).commitsImplicitly(), String.valueOf(SqlFacts.of(sql)));
  }

  @Test
  void batchOfReadsIsRead() {
    SqlFacts batch = SqlFacts.combine(Arrays.asList(SqlFacts.of("SELECT 1"),
        SqlFacts.of("SELECT 2")));
    assertEquals(READ, batch.kind());
  }

  @Test
  void batchWithOneWriteIsWrite() {
    SqlFacts batch = SqlFacts.combine(Arrays.asList(SqlFacts.of("SELECT 1"),
        SqlFacts.of("UPDATE t SET a = 1")));
    assertEquals(WRITE, batch.kind());
  }

  @Test
  void batchHints() {
    SqlFacts idem = SqlFacts.of("/* connguard:idempotent */ UPDATE t SET a = 1");
    SqlFacts plain = SqlFacts.of("UPDATE t SET a = 2");
    SqlFacts never = SqlFacts.of("/* connguard:never-retry */ SELECT 1");
    assertEquals(RetryHint.IDEMPOTENT, SqlFacts.combine(Arrays.asList(idem, idem)).hint());
    assertEquals(RetryHint.NONE, SqlFacts.combine(Arrays.asList(idem, plain)).hint());
    assertEquals(RetryHint.NEVER, SqlFacts.combine(Arrays.asList(idem, never)).hint());
  }

  @Test
  void batchPinsAndSessionState() {
    SqlFacts batch = SqlFacts.combine(Arrays.asList(SqlFacts.of("SET search_path = a"),
        SqlFacts.of("INSERT INTO t VALUES (1)")));
    assertEquals(WRITE, batch.kind());
    assertEquals(true, batch.pinsSession());
    assertEquals(false, batch.restoresSession());
  }

  @Test
  void emptyBatchIsUnknown() {
    assertEquals(UNKNOWN, SqlFacts.combine(Collections.<SqlFacts>emptyList()).kind());
    assertEquals(UNKNOWN, SqlFacts.combine(null).kind());
  }

  @Test
  void singleEntryBatchKeepsItsFacts() {
    SqlFacts set = SqlFacts.of("SET search_path = a");
    SqlFacts batch = SqlFacts.combine(Collections.singletonList(set));
    assertEquals(SESSION, batch.kind());
    assertEquals(true, batch.restoresSession());
  }

  @Test
  void nullTextIsTheSameEveryTime() {
    assertSame(SqlFacts.of(null), SqlFacts.of(null));
  }

  @Test
  void neverThrowsOnOddText() {
    String[] odd = {"$", "$$", "$1", "'", "\"", "`", "/*", "*/", "--", "#", "(", ")", "((((",
        ":", "::", ":=", "@", "\u0000", "\uD83D\uDE00", "SELECT \uD83D", "$a", "$a$", "/*!",
        "/*M", "SELECT (", "SELECT f(", "WITH x(", "WITH x(a) AS", "SELECT set_config(",
        "SELECT 1.2.3e-4x(", "e'", "U&'\\0041'"};
    for (String sql : odd) {
      SqlFacts.of(sql).kind();
    }
  }

  @Test
  void describesItselfForLogs() {
    assertEquals("SqlFacts{WRITE IDEMPOTENT}",
        SqlFacts.of("/* connguard:idempotent */ INSERT INTO t VALUES (1)").toString());
    assertEquals("SqlFacts{WRITE pins}", SqlFacts.of("LISTEN c").toString());
  }

  private static void check(String sql, SqlKind kind, String flags) {
    SqlFacts f = SqlFacts.of(sql);
    Set<String> on = new HashSet<String>(Arrays.asList(flags.split(" ")));
    String where = sql + " -> " + f;
    assertEquals(kind, f.kind(), where);
    assertEquals(kind == READ, f.isRead(), where);
    assertEquals(on.contains("restores"), f.restoresSession(), where + " restores");
    assertEquals(on.contains("clears"), f.clearsSession(), where + " clears");
    assertEquals(on.contains("pins"), f.pinsSession(), where + " pins");
    int locks = on.contains("unlocks-all") ? SqlFacts.RELEASES_ALL_LOCKS : 0;
    for (String flag : on) {
      if (flag.startsWith("locks")) {
        locks = Integer.parseInt(flag.substring("locks".length()).replace("+", ""));
      }
    }
    assertEquals(locks, f.sessionLockChange(), where + " session locks");
    RetryHint hint = on.contains("never") ? RetryHint.NEVER
        : on.contains("idempotent") ? RetryHint.IDEMPOTENT : RetryHint.NONE;
    assertEquals(hint, f.hint(), where + " hint");
  }

  private static Arguments row(String sql, SqlKind kind, String flags) {
    return Arguments.of(sql, kind, flags);
  }
}
