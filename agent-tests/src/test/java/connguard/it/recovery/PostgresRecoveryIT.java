package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RecoveryIT} on PostgreSQL (pgjdbc): backends killed with pg_terminate_backend or closed by
 * idle_session_timeout; plus what only PostgreSQL and pgjdbc have (57P05, casts to every type,
 * schema and SET restored, read-only in transactions, a temporary table's 08003).
 */
class PostgresRecoveryIT extends RecoveryIT {
  @Override SqlAdmin database() {
    return Databases.postgres();
  }

  @Override String connectionClass() {
    return "org.postgresql.jdbc.PgConnection";
  }

  @Override String dataSourceClass() {
    return "org.postgresql.ds.PGSimpleDataSource";
  }

  @Override String shortIdleTimeout() {
    return "set idle_session_timeout = '300ms'";
  }

  @Override String sessionIdRead() {
    return "select pg_backend_pid()";
  }

  @Override String nextValueRead(String sequence) {
    return "select nextval('" + sequence + "')";
  }

  @Override String sessionLock(int key) {
    return "select pg_advisory_lock(" + key + ")";
  }

  @Override String sessionUnlock(int key) {
    return "select pg_advisory_unlock(" + key + ")";
  }

  @Override void runStatementsTheServerRefuses(Shell sh) {
    assertTrue(sh.err("query c1 selec 1").startsWith("42601"));
    assertTrue(sh.err("update c1 insert into " + table + " values (1, 'a')").startsWith("23505"));
    sh.ok("execute c1 set statement_timeout = '50ms'");
    assertTrue(sh.err("query c1 select count(*) from generate_series(1, 100000000)").startsWith("57014"));
  }

  @Test
  void anInsertAnsweredWithIdleSessionTimeoutNeverRanSoItIsReExecutedOnce() {
    // 57P05 comes only from a session idle between statements: the backend exits without reading
    // the insert. Even with validation off, re-executing it cannot write twice.
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 " + shortIdleTimeout());
      awaitBackends(0);
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(1, count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesRefused"));
      sh.awaitStderr("57P05", Duration.ofSeconds(10));
      sh.awaitStderr("re-executed executeUpdate (never sent)", Duration.ofSeconds(10));
    }
  }

  @Test
  void writeMatchingIdempotentSqlIsRetried() {
    // The key makes "on conflict do nothing" idempotent in fact, as the option claims.
    admin.exec("create unique index on " + table + " (id)");
    try (Shell sh = connected(child("validateIdleAfter=off,idempotentSql=(?i)on conflict do nothing").start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, kill());
      sh.ok("update c1 insert into " + table + " values (1, 'x') on conflict do nothing");
      assertEquals(1, count("select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void parametersOfEveryValueShapeAreReplayedExactly() {
    // The advice records setInt/setLong/... as raw bits and references without boxing; replay
    // must rebuild each value with its own type, to the last bit of a double and a float.
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ?::int, ?::bigint, ?::smallint, ?::float8, ?::float4, ?::boolean, ?::numeric, ?::text, ?::text");
      sh.ok("set s1 1 int -2147483648");
      sh.ok("set s1 2 long 9007199254740993");
      sh.ok("set s1 3 short -7");
      sh.ok("set s1 4 double 0.1");
      sh.ok("set s1 5 float 3.4028235E38");
      sh.ok("set s1 6 bool true");
      sh.ok("set s1 7 decimal 12.50");
      sh.ok("set s1 8 string x");
      sh.ok("set s1 9 null");
      String expected = sh.ok("pquery s1");
      assertTrue(expected.startsWith("-2147483648,9007199254740993,-7,0.1,"), expected);
      assertTrue(expected.endsWith(",12.50,x,NULL"), expected);
      assertEquals(1, kill());
      assertEquals(expected, sh.ok("pquery s1"), "every parameter replayed with its type and value");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void theOneParameterOfASingleQuestionMarkStatementIsReplayedAsItWasLastSet() {
    // A statement with one '?' keeps its parameter in one small object (SingleParameter), not in
    // slots: set again with other setters, the replay must send the last one with its own type.
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ?::text");
      sh.ok("set s1 1 string first");
      sh.ok("set s1 1 null");
      sh.ok("set s1 1 double 0.1");
      sh.ok("set s1 1 long 9007199254740993");
      assertEquals("9007199254740993", sh.ok("pquery s1"));
      assertEquals(1, kill());
      assertEquals("9007199254740993", sh.ok("pquery s1"), "the last set, a long to the last bit, on the fresh connection");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void preparedStatementFromBeforeTheKillIsRecreatedWithParametersAndSessionState() {
    String schema = admin.uniqueName("s");
    admin.exec("create schema " + schema);
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("schema c1 " + schema);
      sh.ok("execute c1 set statement_timeout = '12345ms'");
      sh.ok("prepare s1 c1 select current_schema, ? + 1");
      sh.ok("fetchsize s1 7");
      sh.ok("set s1 1 int 41");
      assertEquals(schema + ",42", sh.ok("pquery s1"));
      assertEquals(1, kill());
      assertEquals(schema + ",42", sh.ok("pquery s1"), "parameters and schema restored");
      assertEquals("12345ms", sh.ok("query c1 show statement_timeout"), "session SET restored");
      assertEquals("7", sh.ok("getfetchsize s1"));
      assertEquals(connectionClass(), sh.ok("classof c1"), "the app keeps the driver's object");
      assertEquals("true", sh.ok("unwrap c1 org.postgresql.PGConnection"));
      assertEquals(1, sh.stat("StatementsRetried"));
    } finally {
      admin.exec("drop schema if exists " + schema + " cascade");
    }
  }

  @Test
  void readKilledMidFlightIsRetried() throws Exception {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      CompletableFuture<String> slow = CompletableFuture.supplyAsync(
          () -> sh.send("query c1 select count(*) from generate_series(1, 20000000)", Duration.ofSeconds(60)));
      awaitRunning();
      assertEquals(1, kill());
      assertEquals("OK 20000000", slow.get(90, TimeUnit.SECONDS));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void isolationAndReadOnlyAreRestoredOnTheFreshConnection() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("isolation c1 8");             // SERIALIZABLE
      sh.ok("readonly c1 true");
      sh.ok("query c1 select 1");
      kill();
      assertEquals("serializable", sh.ok("query c1 show transaction_isolation"));
      // pgjdbc applies read-only to explicit transactions only (readOnlyMode=transaction).
      assertEquals("true", sh.ok("getreadonly c1"));
      sh.ok("autocommit c1 false");
      assertEquals("on", sh.ok("query c1 show transaction_read_only"));
      sh.ok("rollback c1");
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  /**
   * Flyway ends a migration with {@code SELECT set_config('search_path', ?, false)}: a session
   * setting with a parameter, replayed on the fresh connection with it (it used to pin the session
   * and leave every connection Flyway had used unhealable).
   */
  @Test
  void aSearchPathSetWithAParameterIsRestoredOnTheFreshConnection() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select set_config('search_path', ?, false)");
      sh.ok("set s1 1 string connguard_nowhere, public");
      sh.ok("pquery s1");
      assertEquals(1, kill());
      assertEquals("connguard_nowhere, public", sh.ok("query c1 show search_path"));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void sessionWithATemporaryTableIsNotHealedSilently() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 create temporary table scratch (x int)");
      sh.ok("query c1 select 1");
      kill();
      sh.err("query c1 select count(*) from scratch");
      sh.awaitStderr("session state cannot be restored", Duration.ofSeconds(10));
      // It stays as the driver left it: closed, with the driver's own errors.
      String again = sh.err("query c1 select 1");
      assertTrue(again.startsWith("08003"), again);
      assertEquals("true", sh.ok("isclosed c1"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("Reconnects"));
    }
  }
}
