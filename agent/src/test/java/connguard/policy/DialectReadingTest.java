package connguard.policy;

import static connguard.policy.SqlKind.READ;
import static connguard.policy.SqlKind.SEQUENCE_FETCH;
import static connguard.policy.SqlKind.SESSION;
import static connguard.policy.SqlKind.SESSION_BOUND_READ;
import static connguard.policy.SqlKind.UNKNOWN;
import static connguard.policy.SqlKind.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same text read as the server a connection talks to reads it. */
class DialectReadingTest {
  private static final FunctionCatalog PG_STANDARD = FunctionCatalog.postgres().build(true, false);
  private static final FunctionCatalog PG_ESCAPES = FunctionCatalog.postgres().build(false, false);
  private static final FunctionCatalog MYSQL_NO_ESCAPES = FunctionCatalog.mysql(Dialect.MYSQL, false,
      java.util.Collections.<String>emptySet());

  static Stream<Arguments> texts() {
    return Stream.of(
        // backslashes: PostgreSQL's standard strings, E'' escapes, MySQL's escapes
        row(Dialect.POSTGRESQL, "select * from t where name like ? escape '\\'", READ),
        row(Dialect.POSTGRESQL, "SELECT E'\\n', E'it\\'s'", READ),
        row(Dialect.POSTGRESQL, "SELECT e'\\\\' || 'a\\'", READ),
        row(Dialect.POSTGRESQL, "SELECT 'a\\' ; DELETE FROM t; --'", WRITE),
        row(Dialect.POSTGRESQL, "SELECT E'a\\' ; DELETE FROM t; --'", READ),
        row(Dialect.MYSQL, "SELECT option_name FROM wp_options WHERE option_name LIKE '\\_transient\\_%'",
            READ),
        row(Dialect.MARIADB, "select * from t where name like ? escape '\\\\'", READ),
        // MySQL reads one string; under NO_BACKSLASH_ESCAPES (see below) a string, then a DELETE
        row(Dialect.MYSQL, "SELECT 'a\\' ; DELETE FROM t; -- '", READ),
        row(Dialect.MYSQL, "SELECT 'line\\n', 'quote\\'s' FROM dual", READ),
        row(Dialect.MYSQL, "SELECT \"a\\\"\", 1", UNKNOWN),    // ANSI_QUOTES splits it otherwise
        row(Dialect.UNKNOWN, "select * from t where name like ? escape '\\'", UNKNOWN),
        // dollar quotes are PostgreSQL's; $ is part of a MySQL name
        row(Dialect.POSTGRESQL, "SELECT $$ ; DELETE FROM t $$", READ),
        row(Dialect.POSTGRESQL, "SELECT $x$ it's $x$, 1", READ),
        row(Dialect.MYSQL, "SELECT a$b FROM t", READ),
        // comments: # only in MySQL, // only in H2, nesting only in PostgreSQL
        row(Dialect.MYSQL, "SELECT 1 # ' \n ; DELETE FROM t; -- '", WRITE),
        row(Dialect.POSTGRESQL, "SELECT data #>> '{a}' FROM t", READ),
        row(Dialect.POSTGRESQL, "SELECT 1 /* /* */ ; DELETE FROM t; */", READ),
        row(Dialect.MYSQL, "SELECT 1 /* /* */ ; DELETE FROM t; */", WRITE),
        row(Dialect.H2, "SELECT 1 // '\n; DELETE FROM t; -- '", WRITE),
        // executable comments: code on every supported server, or read both ways
        row(Dialect.MYSQL, "SELECT /*!40001 SQL_NO_CACHE */ * FROM t", READ),
        row(Dialect.MYSQL, "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", SESSION),
        row(Dialect.MYSQL, "SELECT 1 /*!50000 , f(1) */", WRITE),
        row(Dialect.MYSQL, "SELECT 1 /*!80017 , sleep(1) */", READ),
        row(Dialect.MYSQL, "SELECT 1 /*!90000 , f(1) */", UNKNOWN),
        row(Dialect.MARIADB, "SELECT 1 /*M!100100 , f(1) */", UNKNOWN),
        row(Dialect.MYSQL, "SELECT 1 /*M!100000 , 2 */", READ),
        row(Dialect.UNKNOWN, "SELECT /*!40001 SQL_NO_CACHE */ * FROM t", UNKNOWN),
        // MySQL functions named like keywords
        row(Dialect.MYSQL, "SELECT INSERT(name, 1, 2, 'x'), TRUNCATE(price, 2), IF(a, 1, 2), "
            + "REPLACE(a, 'b', 'c'), LEFT(a, 2) FROM t", READ),
        row(Dialect.MYSQL, "SELECT GROUP_CONCAT(name ORDER BY name SEPARATOR ',') FROM t", READ),
        row(Dialect.MYSQL, "SELECT SUBSTRING_INDEX(USER(), '@', 1)", READ),
        row(Dialect.MYSQL, "SELECT CAST(a AS CHAR CHARACTER SET utf8mb4) FROM t", READ),
        row(Dialect.POSTGRESQL, "SELECT truncate(x) FROM t", WRITE),
        row(Dialect.MYSQL, "SELECT myschema.f(1)", WRITE),
        row(Dialect.MYSQL, "SELECT `lower`(a) FROM t", WRITE),
        // sequences, one rule on every database
        row(Dialect.MARIADB, "select next value for users_SEQ", SEQUENCE_FETCH),
        row(Dialect.MARIADB, "SELECT NEXTVAL(s)", SEQUENCE_FETCH),
        row(Dialect.MARIADB, "SELECT s.nextval FROM DUAL", SEQUENCE_FETCH),
        row(Dialect.POSTGRESQL, "select nextval('hibernate_sequence')", SEQUENCE_FETCH),
        row(Dialect.H2, "call next value for s", SEQUENCE_FETCH),
        row(Dialect.MARIADB, "SELECT SETVAL(s, 10)", WRITE),
        // answers of the lost session
        row(Dialect.MYSQL, "SELECT LAST_INSERT_ID()", SESSION_BOUND_READ),
        row(Dialect.MYSQL, "SELECT LAST_INSERT_ID(42)", WRITE),
        row(Dialect.MYSQL, "select @@identity", SESSION_BOUND_READ),
        row(Dialect.MYSQL, "SELECT @@session.last_insert_id", SESSION_BOUND_READ),
        row(Dialect.MYSQL, "SELECT FOUND_ROWS()", SESSION_BOUND_READ),
        row(Dialect.MYSQL, "SELECT ROW_COUNT()", SESSION_BOUND_READ),
        row(Dialect.MYSQL, "SHOW WARNINGS", SESSION_BOUND_READ),
        row(Dialect.MYSQL, "SHOW COUNT(*) ERRORS", SESSION_BOUND_READ),
        row(Dialect.MARIADB, "SELECT PREVIOUS VALUE FOR s", SESSION_BOUND_READ),
        row(Dialect.MARIADB, "SELECT LASTVAL(s)", SESSION_BOUND_READ),
        row(Dialect.MARIADB, "SELECT s.currval FROM DUAL", SESSION_BOUND_READ),
        row(Dialect.POSTGRESQL, "select currval('s')", SESSION_BOUND_READ),
        row(Dialect.POSTGRESQL, "select lastval()", SESSION_BOUND_READ),
        row(Dialect.H2, "call identity()", SESSION_BOUND_READ),
        // H2's CALL evaluates an expression; elsewhere it runs a procedure
        row(Dialect.H2, "call current_timestamp()", READ),
        row(Dialect.H2, "CALL UPPER('a')", READ),
        row(Dialect.H2, "CALL APP_PURGE(30)", WRITE),
        row(Dialect.POSTGRESQL, "CALL upper('a')", WRITE),
        row(Dialect.MYSQL, "CALL upper('a')", WRITE),
        row(Dialect.MYSQL, "GET DIAGNOSTICS @n = NUMBER", UNKNOWN),
        // monitoring and catalog reads call built-ins of every volatility
        row(Dialect.POSTGRESQL, "SELECT current_setting('search_path'), pg_backend_pid()", READ),
        row(Dialect.POSTGRESQL, "SELECT pg_is_in_recovery()", READ),
        row(Dialect.POSTGRESQL, "SELECT pg_database_size(datname), pg_size_pretty(1) FROM pg_database",
            READ),
        row(Dialect.POSTGRESQL, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')", READ),
        row(Dialect.POSTGRESQL, "SELECT pg_xlog_location_diff(pg_current_xlog_location(), '0/0')",
            READ),
        row(Dialect.POSTGRESQL, "SELECT pg_switch_xlog()", WRITE),
        row(Dialect.POSTGRESQL, "SELECT gen_random_uuid(), random(), clock_timestamp()", READ),
        row(Dialect.POSTGRESQL, "SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM "
            + "pg_catalog.pg_attribute a", READ),
        row(Dialect.POSTGRESQL, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity", WRITE),
        row(Dialect.POSTGRESQL, "SELECT pg_reload_conf()", WRITE),
        row(Dialect.POSTGRESQL, "SELECT pg_stat_reset()", WRITE),
        row(Dialect.POSTGRESQL, "SELECT lo_unlink(1)", WRITE),
        row(Dialect.POSTGRESQL, "SELECT pg_notify('c', 'x')", WRITE),
        row(Dialect.POSTGRESQL, "SELECT my_func(1)", WRITE),
        row(Dialect.MYSQL, "SELECT JSON_EXTRACT(doc, '$.a'), DATE_FORMAT(d, '%Y') FROM t", READ),
        row(Dialect.MYSQL, "SELECT RELEASE_LOCK('x')", WRITE),
        // a session setting made by a SELECT with literals is replayed like a SET
        row(Dialect.POSTGRESQL, "SELECT set_config('search_path', 'tenant_1', false)", SESSION),
        row(Dialect.POSTGRESQL, "SET standard_conforming_strings = off", SESSION));
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("texts")
  void readsAsTheServerDoes(Dialect dialect, String sql, SqlKind kind) {
    assertEquals(kind, SqlFacts.of(sql, dialect).kind(), sql + " -> " + SqlFacts.of(sql, dialect));
  }

  @Test
  void backslashReadingFollowsTheServersStandardConformingStrings() {
    String jpa = "select * from t where name like ? escape '\\'";
    assertEquals(READ, SqlFacts.of(jpa, PG_STANDARD).kind());
    assertEquals(UNKNOWN, SqlFacts.of(jpa, PG_ESCAPES).kind(), "'\\' does not end there");
    assertEquals(READ, SqlFacts.of(jpa, Dialect.POSTGRESQL).kind(),
        "until the server said, its default since 9.1: on");
    String hidden = "SELECT 'a\\' ; DELETE FROM t; --'";
    assertEquals(WRITE, SqlFacts.of(hidden, PG_STANDARD).kind());
    assertEquals(READ, SqlFacts.of(hidden, PG_ESCAPES).kind(), "one string, as that server reads it");
    String mysqlHidden = "SELECT 'a\\' ; DELETE FROM t; -- '";
    assertEquals(READ, SqlFacts.of(mysqlHidden, Dialect.MYSQL).kind());
    assertEquals(WRITE, SqlFacts.of(mysqlHidden, MYSQL_NO_ESCAPES).kind());
    assertEquals(READ, SqlFacts.of("SELECT 'C:\\'", MYSQL_NO_ESCAPES).kind());
  }

  @Test
  void sessionsThatChangeHowTextIsReadArePinned() {
    assertTrue(SqlFacts.of("SET sql_mode = 'NO_BACKSLASH_ESCAPES'", Dialect.MYSQL).pinsSession());
    assertTrue(SqlFacts.of("SET SESSION sql_mode = ?", Dialect.MYSQL).pinsSession());
    assertTrue(SqlFacts.of("SET @@session.sql_mode = 'ANSI_QUOTES'", Dialect.MYSQL).restoresSession());
    assertFalse(SqlFacts.of("SET @@session.sql_mode = 'ANSI_QUOTES'", Dialect.MYSQL).pinsSession());
  }

  @Test
  void setStatementIsWhatItsStatementIs() {
    assertEquals(READ, SqlFacts.of("SET STATEMENT max_statement_time=10 FOR SELECT * FROM t",
        Dialect.MARIADB).kind());
    assertEquals(WRITE, SqlFacts.of("SET STATEMENT max_statement_time=10 FOR DELETE FROM t",
        Dialect.MARIADB).kind());
    assertEquals(WRITE, SqlFacts.of("SET STATEMENT max_statement_time=10 FOR DELETE FROM t").kind());
  }

  @Test
  void sessionChangesHiddenInSelectsPinOrRestore() {
    // Flyway restores the search_path so at the end of a migration: replayed with its parameter.
    assertTrue(SqlFacts.of("SELECT set_config('search_path', ?, false)", Dialect.POSTGRESQL)
        .restoresSession());
    assertFalse(SqlFacts.of("SELECT set_config('search_path', ?, false)", Dialect.POSTGRESQL)
        .pinsSession());
    assertTrue(SqlFacts.of("SELECT set_config(?, ?, false)", Dialect.POSTGRESQL).restoresSession());
    assertTrue(SqlFacts.of("SELECT set_config('search_path', current_setting('x'), false)", Dialect.POSTGRESQL)
        .pinsSession(), "a value the fresh session would compute differently");
    assertTrue(SqlFacts.of("SELECT set_config('search_path', 'x', false)", Dialect.POSTGRESQL)
        .restoresSession());
    assertFalse(SqlFacts.of("SELECT set_config('a', 'x', true)", Dialect.POSTGRESQL).pinsSession());
    assertTrue(SqlFacts.of("SELECT setseed(0.5)", Dialect.POSTGRESQL).pinsSession());
    assertTrue(SqlFacts.of("SELECT * INTO TEMP t FROM x", Dialect.POSTGRESQL).pinsSession());
    assertTrue(SqlFacts.of("SELECT 1 INTO @v", Dialect.MYSQL).pinsSession());
    assertTrue(SqlFacts.of("SELECT @v := 1", Dialect.MYSQL).pinsSession());
    assertTrue(SqlFacts.of("HANDLER t OPEN", Dialect.MYSQL).pinsSession());
    assertTrue(SqlFacts.of("SET standard_conforming_strings = off", Dialect.POSTGRESQL).pinsSession());
    assertTrue(SqlFacts.of("SET @id = NEXT VALUE FOR s", Dialect.MARIADB).pinsSession());
    assertTrue(SqlFacts.of("SET @id = @@identity", Dialect.MYSQL).pinsSession());
  }

  @Test
  void theServersCatalogDecidesUserFunctions() {
    FunctionCatalog.PostgresBuilder functions = FunctionCatalog.postgres()
        .function("lower", true, true, false)
        .function("lower", false, true, true)          // public.lower(int), STABLE sql
        .function("pg_is_in_recovery", true, false, false)
        .function("nextval", true, false, false)
        .function("tenant_name", false, true, true)
        .function("touch", false, false, true)
        .function("digest", false, true, false);       // pgcrypto: C, IMMUTABLE
    FunctionCatalog untrusted = functions.build(true, false);
    FunctionCatalog trusted = functions.build(true, true);
    assertEquals(WRITE, SqlFacts.of("SELECT lower(x) FROM t", untrusted).kind(),
        "a user overload of a built-in name could be the one called");
    assertEquals(READ, SqlFacts.of("SELECT lower(x) FROM t", trusted).kind());
    assertEquals(READ, SqlFacts.of("SELECT pg_is_in_recovery()", untrusted).kind());
    assertEquals(SEQUENCE_FETCH, SqlFacts.of("SELECT nextval('s')", trusted).kind());
    assertEquals(WRITE, SqlFacts.of("SELECT tenant_name(1)", untrusted).kind());
    assertEquals(READ, SqlFacts.of("SELECT tenant_name(1)", trusted).kind());
    assertEquals(READ, SqlFacts.of("SELECT app.tenant_name(1)", trusted).kind());
    assertEquals(WRITE, SqlFacts.of("SELECT touch(1)", trusted).kind(), "declared VOLATILE");
    assertEquals(WRITE, SqlFacts.of("SELECT digest('a', 'sha1')", trusted).kind(),
        "only sql and plpgsql declarations are trusted");
    assertEquals(WRITE, SqlFacts.of("SELECT version()", trusted).kind(),
        "a name the server does not have");
  }

  @Test
  void mysqlStoredFunctionsAreTrustedOnlyWhenListed() {
    FunctionCatalog c = FunctionCatalog.mysql(Dialect.MARIADB, true,
        java.util.Collections.singleton("tenant_name"));
    assertEquals(READ, SqlFacts.of("SELECT tenant_name(1), LOWER(a) FROM t", c).kind());
    assertEquals(WRITE, SqlFacts.of("SELECT other_fn(1)", c).kind());
    assertEquals(SESSION_BOUND_READ, SqlFacts.of("SELECT LAST_INSERT_ID()", c).kind());
  }

  @Test
  void detailNamesWhatDecided() {
    assertEquals("LAST_INSERT_ID() belongs to the lost session",
        SqlFacts.of("SELECT LAST_INSERT_ID()", Dialect.MYSQL).detail());
    assertEquals("sequence fetch: nextval()",
        SqlFacts.of("select nextval('s')", Dialect.POSTGRESQL).detail());
    assertEquals("SHOW WARNINGS belongs to the lost session",
        SqlFacts.of("SHOW WARNINGS", Dialect.MARIADB).detail());
  }

  @Test
  void driversNameTheirFamily() {
    assertEquals(Dialect.POSTGRESQL, Dialect.guessFromDriver("org.postgresql.jdbc.PgConnection"));
    assertEquals(Dialect.MYSQL, Dialect.guessFromDriver("org.mariadb.jdbc.Connection"));
    assertEquals(Dialect.MYSQL, Dialect.guessFromDriver("com.mysql.cj.jdbc.ConnectionImpl"));
    assertEquals(Dialect.H2, Dialect.guessFromDriver("org.h2.jdbc.JdbcConnection"));
    assertEquals(Dialect.UNKNOWN, Dialect.guessFromDriver("oracle.jdbc.OracleConnection"));
    assertEquals(Dialect.UNKNOWN, Dialect.guessFromDriver(null));
  }

  private static Arguments row(Dialect d, String sql, SqlKind kind) {
    return Arguments.of(d, sql, kind);
  }
}
