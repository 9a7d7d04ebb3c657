package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core promise on PostgreSQL (pgjdbc): backends killed with pg_terminate_backend or closed by
 * idle_session_timeout are healed; what is re-executed is exactly what is safe. Each behaviour is
 * checked from a separate admin connection, and most also without the agent (the baseline fails).
 */
class PostgresRecoveryIT {
  private PgAdmin pg;
  private String app;
  private String table;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("cg");
    table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int primary key, v text)");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
      pg.exec("drop table if exists " + table);
    }
  }

  private Shell connected(Shell sh) {
    sh.ok("connect c1 " + pg.url(app));
    return sh;
  }

  @Test
  void withoutAgentAQueryAfterBackendKilledFails() {
    try (Shell sh = connected(AppJvm.withoutAgent().start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, pg.terminate(app));
      String err = sh.err("query c1 select 1");
      assertTrue(err.startsWith("57P01") || err.startsWith("08"), err);
    }
  }

  @Test
  void selectAfterBackendKilledIsRetriedOnce() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'one')");
      assertEquals(1, pg.terminate(app));
      assertEquals("1,one", sh.ok("query c1 select id, v from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sh.stat("DeadConnectionsDetected"));
      assertEquals(1, pg.backends(app), "the dead backend is gone, one fresh one serves the app");
      sh.awaitStderr("re-executed executeQuery", Duration.ofSeconds(10));
    }
  }

  @Test
  void idleConnectionIsValidatedAndReplacedBeforeAnInsertSoItIsWrittenOnce() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=200ms").start())) {
      sh.ok("execute c1 set idle_session_timeout = '300ms'");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));   // the server closed the idle session
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(1, pg.count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before sending: nothing to re-execute");
    }
  }

  @Test
  void withoutAgentAnInsertAfterIdleSessionTimeoutFails() {
    try (Shell sh = connected(AppJvm.withoutAgent().start())) {
      sh.ok("execute c1 set idle_session_timeout = '300ms'");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));
      sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertEquals(0, pg.count("select count(*) from " + table));
    }
  }

  @Test
  void anInsertAnsweredWithIdleSessionTimeoutNeverRanSoItIsReExecutedOnce() {
    // 57P05 comes only from a session idle between statements: the backend exits without reading
    // the insert. Even with validation off, re-executing it cannot write twice.
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("execute c1 set idle_session_timeout = '300ms'");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(1, pg.count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesRefused"));
      sh.awaitStderr("57P05", Duration.ofSeconds(10));
      sh.awaitStderr("re-executed executeUpdate (never sent)", Duration.ofSeconds(10));
    }
  }

  @Test
  void readAfterIdleSessionTimeoutIsRetriedWhenValidationIsOff() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("execute c1 set idle_session_timeout = '300ms'");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void insertWithUnknownOutcomeIsNotRetried() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, pg.terminate(app));
      String err = sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertTrue(err.startsWith("57P01") || err.startsWith("08"), err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertTrue(pg.count("select count(*) from " + table) <= 1, "never two rows");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table + " where id = 2"),
          "the same Connection works again afterwards");
    }
  }

  @Test
  void writeMatchingIdempotentSqlIsRetried() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off,idempotentSql=(?i)on conflict do nothing").start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, pg.terminate(app));
      sh.ok("update c1 insert into " + table + " values (1, 'x') on conflict do nothing");
      assertEquals(1, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void statementHintMarksOneWriteIdempotent() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      pg.terminate(app);
      sh.ok("update c1 /* connguard:idempotent */ update " + table + " set v = 'y' where id = 7");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void isValidOnAKilledConnectionHealsItWithoutHealingItsOwnProbe() {
    // isValid runs a probe through the driver's own JDBC calls: only the outermost call is guarded,
    // so the probe is never re-executed; the driver's "false" is what makes isValid heal.
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ?");
      sh.ok("set s1 1 int 5");
      assertEquals("true", sh.ok("isvalid c1 2"));
      assertEquals(1, pg.terminate(app));
      assertEquals("true", sh.ok("isvalid c1 2"), "healed within isValid's timeout");
      sh.awaitStderr("isValid() answered false; reconnected", Duration.ofSeconds(10));
      assertEquals(0, sh.stat("StatementsRetried"), "the probe was not re-executed");
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, pg.backends(app));
      assertEquals("5", sh.ok("pquery s1"), "the app's statement, re-created on the fresh connection");
      assertEquals(0, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void parametersOfEveryValueShapeAreReplayedExactly() {
    // The advice records setInt/setLong/... as raw bits and references without boxing; replay
    // must rebuild each value with its own type, to the last bit of a double and a float.
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
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
      assertEquals(1, pg.terminate(app));
      assertEquals(expected, sh.ok("pquery s1"), "every parameter replayed with its type and value");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void theOneParameterOfASingleQuestionMarkStatementIsReplayedAsItWasLastSet() {
    // A statement with one '?' keeps its parameter in one small object (SingleParameter), not in
    // slots: set again with other setters, the replay must send the last one with its own type.
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ?::text");
      sh.ok("set s1 1 string first");
      sh.ok("set s1 1 null");
      sh.ok("set s1 1 double 0.1");
      sh.ok("set s1 1 long 9007199254740993");
      assertEquals("9007199254740993", sh.ok("pquery s1"));
      assertEquals(1, pg.terminate(app));
      assertEquals("9007199254740993", sh.ok("pquery s1"), "the last set, a long to the last bit, on the fresh connection");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void preparedStatementFromBeforeTheKillIsRecreatedWithParametersAndSessionState() {
    String schema = pg.uniqueName("s");
    pg.exec("create schema " + schema);
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("schema c1 " + schema);
      sh.ok("execute c1 set statement_timeout = '12345ms'");
      sh.ok("prepare s1 c1 select current_schema, ? + 1");
      sh.ok("fetchsize s1 7");
      sh.ok("set s1 1 int 41");
      assertEquals(schema + ",42", sh.ok("pquery s1"));
      assertEquals(1, pg.terminate(app));
      assertEquals(schema + ",42", sh.ok("pquery s1"), "parameters and schema restored");
      assertEquals("12345ms", sh.ok("query c1 show statement_timeout"), "session SET restored");
      assertEquals("7", sh.ok("getfetchsize s1"));
      assertEquals("org.postgresql.jdbc.PgConnection", sh.ok("classof c1"), "the app keeps the driver's object");
      assertEquals("true", sh.ok("unwrap c1 org.postgresql.PGConnection"));
      assertEquals(1, sh.stat("StatementsRetried"));
    } finally {
      pg.exec("drop schema if exists " + schema + " cascade");
    }
  }

  @Test
  void statementCreatedBeforeTheKillButFirstUsedAfterItWorks() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select ? * 2");
      sh.ok("set s1 1 int 21");
      sh.ok("query c1 select 1");
      pg.terminate(app);
      sh.ok("query c1 select 1");          // heals the connection (a read, retried)
      assertEquals("42", sh.ok("pquery s1"), "re-created lazily on the fresh connection");
    }
  }

  @Test
  void transactionBrokenAfterWorkSurfacesErrorAndRollbackWorks() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals(1, pg.terminate(app));
      String err = sh.err("update c1 insert into " + table + " values (2, 'b')");
      // The server rolled it back, certainly: 40001 (SurfacedErrors), the driver's error as its cause.
      assertTrue(err.startsWith("40001 0 SQLTransactionRollbackException"), err);
      // The transaction is gone: commit must not pretend.
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")));
      sh.ok("rollback c1");
      assertEquals(0, pg.count("select count(*) from " + table), "no partial commit");
      sh.ok("update c1 insert into " + table + " values (3, 'c')");
      sh.ok("commit c1");
      assertEquals(1, pg.count("select count(*) from " + table + " where id = 3"));
      assertEquals(1, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }

  @Test
  void firstStatementOfATransactionIsRetriedEvenIfItWrites() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("query c1 select 1");
      sh.ok("commit c1");
      assertEquals(1, pg.terminate(app));
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      sh.ok("commit c1");
      assertEquals(1, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals("false", sh.ok("getautocommit c1"));
    }
  }

  @Test
  void readKilledMidFlightIsRetried() throws Exception {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      CompletableFuture<String> slow = CompletableFuture.supplyAsync(
          () -> sh.send("query c1 select count(*) from generate_series(1, 20000000)", Duration.ofSeconds(60)));
      pg.awaitActiveQuery(app, Duration.ofSeconds(10));
      assertEquals(1, pg.terminate(app));
      assertEquals("OK 20000000", slow.get(90, TimeUnit.SECONDS));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void errorsThatAreNotADeadConnectionAreUntouched() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      assertTrue(sh.err("query c1 selec 1").startsWith("42601"));
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertTrue(sh.err("update c1 insert into " + table + " values (1, 'a')").startsWith("23505"));
      sh.ok("execute c1 set statement_timeout = '50ms'");
      assertTrue(sh.err("query c1 select count(*) from generate_series(1, 100000000)").startsWith("57014"));
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      assertEquals(0, sh.stat("Reconnects"));
      assertEquals(1, pg.count("select count(*) from " + table));
    }
  }

  @Test
  void closingTheConnectionLeavesNoBackendBehind() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select 1");
      sh.ok("pquery s1");
      pg.terminate(app);
      sh.ok("pquery s1");
      pg.terminate(app);
      sh.ok("query c1 select 2");
      assertEquals(1, pg.backends(app));
      sh.ok("close s1");
      sh.ok("close c1");
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));
      assertEquals(2, sh.stat("Reconnects"));
    }
  }

  @Test
  void badOptionsGetOneClearLineAndTheAppStillRuns() {
    try (Shell sh = connected(AppJvm.withAgent("maxRetries=lots,validateIdleAfter=2 sec,password=hunter2").start())) {
      assertEquals("1", sh.ok("query c1 select 1"));
      String stderr = sh.awaitStderr("unknown option \"password\"", Duration.ofSeconds(10));
      assertTrue(stderr.contains("maxRetries=\"lots\" is not valid"), stderr);
      assertTrue(stderr.contains("validateIdleAfter=\"2 sec\" is not valid"), stderr);
      assertTrue(stderr.contains("unknown option \"password\""), stderr);
      assertTrue(!stderr.contains("hunter2"), "an unknown option's value is never echoed");
    }
  }

  @Test
  void isolationAndReadOnlyAreRestoredOnTheFreshConnection() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("isolation c1 8");             // SERIALIZABLE
      sh.ok("readonly c1 true");
      sh.ok("query c1 select 1");
      pg.terminate(app);
      assertEquals("serializable", sh.ok("query c1 show transaction_isolation"));
      // pgjdbc applies read-only to explicit transactions only (readOnlyMode=transaction).
      assertEquals("true", sh.ok("getreadonly c1"));
      sh.ok("autocommit c1 false");
      assertEquals("on", sh.ok("query c1 show transaction_read_only"));
      sh.ok("rollback c1");
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void connectionOlderThanMaxAgeIsReplacedQuietlyBetweenStatements() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off,maxAge=1s").start())) {
      String firstPid = sh.ok("query c1 select pg_backend_pid()");
      sh.ok("sleep 1300");
      String secondPid = sh.ok("query c1 select pg_backend_pid()");
      assertTrue(!firstPid.equals(secondPid), "a new backend serves the app after maxAge");
      assertEquals(1, sh.stat("ConnectionsRecycled"));
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      pg.awaitBackends(app, 1, Duration.ofSeconds(10));   // the old one was closed, not leaked
    }
  }

  @Test
  void maxAgeNeverReplacesAConnectionInsideATransaction() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off,maxAge=500ms").start())) {
      sh.ok("autocommit c1 false");
      String pid = sh.ok("query c1 select pg_backend_pid()");
      sh.ok("sleep 800");
      assertEquals(pid, sh.ok("query c1 select pg_backend_pid()"));
      assertEquals(0, sh.stat("ConnectionsRecycled"));
      sh.ok("commit c1");
    }
  }

  @Test
  void sessionWithATemporaryTableIsNotHealedSilently() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("execute c1 create temporary table scratch (x int)");
      sh.ok("query c1 select 1");
      pg.terminate(app);
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

  @Test
  void selectWithASideEffectIsNotRetried() {
    String seq = pg.uniqueName("q");
    pg.exec("create sequence " + seq);
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      pg.terminate(app);
      sh.err("query c1 select nextval('" + seq + "')");
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
    } finally {
      pg.exec("drop sequence if exists " + seq);
    }
  }

  @Test
  void neverRetryHintIsHonouredEvenForARead() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      pg.terminate(app);
      sh.err("query c1 /* connguard:never-retry */ select 1");
      assertEquals(0, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void connectionFromPgSimpleDataSourceIsHealedOnceNotPerLayer() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("datasource c1 org.postgresql.ds.PGSimpleDataSource " + pg.url(app));
      sh.ok("query c1 select 1");
      pg.terminate(app);
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("ConnectionsGuarded"), "guarded once although a Driver made it for the DataSource");
    }
  }

  @Test
  void batchAsTheFirstStatementOfATransactionIsReplayedWholeOnTheFreshConnection() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("prepare s1 c1 insert into " + table + " values (?, ?)");
      for (int id = 1; id <= 3; id++) {
        sh.ok("set s1 1 int " + id);
        sh.ok("set s1 2 string v" + id);
        sh.ok("addbatch s1");
      }
      assertEquals(1, pg.terminate(app));
      assertEquals("1,1,1", sh.ok("batch s1"));
      sh.ok("commit c1");
      assertEquals(3, pg.count("select count(*) from " + table));
      assertEquals(3, pg.count("select count(distinct id) from " + table + " where v = 'v' || id"),
          "each row its own values");
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void batchInAutocommitIsNotReplayedBecauseItsOutcomeIsUnknown() {
    try (Shell sh = connected(AppJvm.withAgent("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'x')");
      sh.ok("set s1 1 int 1");
      sh.ok("addbatch s1");
      sh.ok("set s1 1 int 2");
      sh.ok("addbatch s1");
      assertEquals(1, pg.terminate(app));
      sh.err("batch s1");
      assertEquals(0, sh.stat("StatementsRetried"));
      assertTrue(pg.count("select count(*) from " + table) <= 2, "never duplicated");
    }
  }
}
