package connguard.it.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Deadline;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import connguard.it.servers.PgBouncer;
import connguard.it.servers.PgBouncer.PoolMode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The core promise behind PgBouncer, in session and in transaction pooling: PgBouncer's own closes
 * (client_idle_timeout, KILL from the console, the pooler crashing and coming back) are healed like
 * a server's, and what is re-executed is still exactly what is safe. Row counts come from a direct
 * PostgreSQL admin connection, clients from PgBouncer's console (SHOW CLIENTS).
 *
 * <p>Each test starts its own PgBouncer, so an ini setting or a KILL never leaks into the next.
 * The table has no primary key: a write run twice shows as two rows instead of a 23505.
 */
class PgBouncerIT {
  // The agent's own look at the server's timeouts leaves a server connection in PgBouncer's pool
  // (harmless in production); these tests count server connections, so they go without it.
  private static final String NO_OWN_CONNECTION = "readServerTimeouts=false,";
  private PgAdmin pg;
  private PgBouncer bouncer;
  private String app;
  private String table;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("pgb");
    table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int, v text)");
  }

  @AfterEach
  void tearDown() {
    if (bouncer != null) {
      bouncer.close();                       // its server connections end with it
    }
    if (pg != null) {
      pg.terminate(app);
      pg.exec("drop table if exists " + table);
    }
  }

  private PgBouncer bouncer(PoolMode mode, String... settings) {
    bouncer = Databases.pgbouncer(mode, settings);
    return bouncer;
  }

  private Shell connected(Shell sh) {
    sh.ok("connect c1 " + bouncer.url(app));
    return sh;
  }

  private static void assertDeadConnectionError(String err) {
    String state = Shell.sqlState(err);
    assertTrue(state.startsWith("08") || state.equals("57P01"), "a dead-connection error: " + err);
  }

  // --- PgBouncer closes an idle client: client_idle_timeout ------------------------------------
  // Transaction pooling only: PgBouncer skips clients linked to a server, and in session pooling
  // a client is linked from login to logout, so client_idle_timeout never closes one there.

  @Test
  void withoutAgentAnInsertAfterClientIdleTimeoutFails() {
    bouncer(PoolMode.TRANSACTION, "client_idle_timeout = 1");
    try (Shell sh = connected(AppJvm.withoutAgent().start())) {
      sh.ok("query c1 select 1");
      bouncer.awaitClients(0, Duration.ofSeconds(10));
      assertDeadConnectionError(sh.err("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(0, pg.count("select count(*) from " + table));
    }
  }

  @Test
  void idleClientClosedByPgBouncerIsValidatedAndReplacedBeforeAnInsertSoItIsWrittenOnce() {
    bouncer(PoolMode.TRANSACTION, "client_idle_timeout = 1");
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=200ms").start())) {
      sh.ok("query c1 select 1");
      bouncer.awaitClients(0, Duration.ofSeconds(10));     // PgBouncer closed the idle client
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(1, pg.count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before sending: nothing to re-execute");
    }
  }

  @Test
  void readAfterClientIdleTimeoutIsRetriedWhenValidationIsOff() {
    bouncer(PoolMode.TRANSACTION, "client_idle_timeout = 1");
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      bouncer.awaitClients(0, Duration.ofSeconds(10));
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  // --- The console: KILL, RECONNECT -------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void readAfterKillFromTheConsoleIsRetried(PoolMode mode) {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'one')");
      bouncer.admin("KILL " + PgBouncer.DATABASE);
      bouncer.awaitClients(0, Duration.ofSeconds(5));
      bouncer.admin("RESUME " + PgBouncer.DATABASE);       // KILL also pauses the database
      assertEquals("1,one", sh.ok("query c1 select id, v from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sh.stat("DeadConnectionsDetected"));
      assertEquals("org.postgresql.jdbc.PgConnection", sh.ok("classof c1"));
    }
  }

  @Test
  void reconnectWaitsOutThePauseThatKillLeavesUntilResume() throws Exception {
    bouncer(PoolMode.SESSION);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off,retryWindow=10s").start())) {
      sh.ok("query c1 select 1");
      bouncer.admin("KILL " + PgBouncer.DATABASE);
      CompletableFuture<String> read = CompletableFuture.supplyAsync(
          () -> sh.send("query c1 select 2", Duration.ofSeconds(20)));
      // The agent's fresh login waits inside PgBouncer: a client is there, not yet served.
      bouncer.awaitClients(1, Duration.ofSeconds(10));
      assertTrue(!read.isDone(), "the read waits while the database is paused");
      bouncer.admin("RESUME " + PgBouncer.DATABASE);
      assertEquals("OK 2", read.get(20, TimeUnit.SECONDS));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesExhausted"));
    }
  }

  /**
   * KILL leaves the database paused, so the agent's fresh login waits inside PgBouncer past
   * retryWindow: the app gets the original error in bounded time. The abandoned login completes
   * at RESUME and must be closed, not left as a client nobody uses.
   */
  @Test
  void aPauseLongerThanRetryWindowEndsInTheOriginalErrorAndLeavesNoClientBehind() {
    bouncer(PoolMode.SESSION);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off,retryWindow=1s").start())) {
      sh.ok("query c1 select 1");
      bouncer.admin("KILL " + PgBouncer.DATABASE);
      long started = System.nanoTime();
      assertDeadConnectionError(sh.err("query c1 select 2", Duration.ofSeconds(20)));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(tookMillis < 8_000, "bounded by retryWindow, took " + tookMillis + " ms");
      assertEquals(1, sh.stat("RetriesExhausted"));
      assertEquals(1, bouncer.clients(), "the abandoned login, still waiting for RESUME");
      bouncer.admin("RESUME " + PgBouncer.DATABASE);
      assertEquals("3", sh.ok("query c1 select 3"), "the same Connection works once PgBouncer serves again");
      bouncer.awaitClients(1, Duration.ofSeconds(10));     // the abandoned login was closed
      sh.ok("close c1");
      bouncer.awaitClients(0, Duration.ofSeconds(10));
    }
  }

  /**
   * RECONNECT closes server connections when PgBouncer gets them back: at the client's disconnect
   * in session pooling, at the end of each transaction in transaction pooling. The client never
   * sees an error, so there is nothing to heal.
   */
  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void reconnectFromTheConsoleIsInvisibleToTheApp(PoolMode mode) {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      String pidBefore = sh.ok("query c1 select pg_backend_pid()");
      bouncer.admin("RECONNECT " + PgBouncer.DATABASE);
      String pidAfter = sh.ok("query c1 select pg_backend_pid()");
      if (mode == PoolMode.SESSION) {
        assertEquals(pidBefore, pidAfter, "the linked server stays until the client leaves");
      } else {
        assertNotEquals(pidBefore, pidAfter, "the next transaction got a fresh server");
      }
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      assertEquals(0, sh.stat("StatementsRetried"));
    }
  }

  // --- PgBouncer crashes and comes back ---------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void readAfterPgBouncerRestartIsRetriedOnTheSameConnection(PoolMode mode) {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'one')");
      bouncer.restart();
      assertEquals("1,one", sh.ok("query c1 select id, v from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, bouncer.clients(), "the restarted PgBouncer serves the replacement");
    }
  }

  @Test
  void aShortPgBouncerOutageIsRiddenThrough() throws Exception {
    bouncer(PoolMode.SESSION);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off,retryWindow=10s").start())) {
      sh.ok("query c1 select 1");
      bouncer.kill();                                       // down: logins are refused
      AtomicLong backAt = new AtomicLong();
      CompletableFuture<Void> comeback = CompletableFuture.runAsync(() -> {
        Deadline.in(Duration.ofMillis(700)).pause(700);
        backAt.set(System.nanoTime());
        bouncer.restart();
      });
      assertEquals("2", sh.ok("query c1 select 2"));
      long answeredAt = System.nanoTime();
      comeback.get(20, TimeUnit.SECONDS);
      assertTrue(answeredAt - backAt.get() > 0, "the read waited out the outage");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesExhausted"));
    }
  }

  @Test
  void insertAfterPgBouncerRestartIsNotReExecutedAndTheConnectionWorksAgain() {
    bouncer(PoolMode.SESSION);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      bouncer.restart();
      assertDeadConnectionError(sh.err("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertTrue(pg.count("select count(*) from " + table) <= 1, "never two rows");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table + " where id = 2"),
          "the same Connection works again afterwards");
    }
  }

  /**
   * The real unknown outcome: PgBouncer dies while the INSERT runs on the server. PostgreSQL
   * finishes and commits it (it notices the lost client only when it sends the reply), so a
   * re-execution would make a second row.
   */
  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void insertInFlightWhenPgBouncerDiesIsWrittenOnceNotTwice(PoolMode mode) throws Exception {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      CompletableFuture<String> insert = CompletableFuture.supplyAsync(() -> sh.send(
          "update c1 insert into " + table + " select 1, 'x' from pg_sleep(1)", Duration.ofSeconds(30)));
      pg.awaitActiveQuery(app, Duration.ofSeconds(10));
      bouncer.restart();
      String answer = insert.get(40, TimeUnit.SECONDS);
      assertTrue(answer.startsWith("ERR "), "the app sees the failure: " + answer);
      assertDeadConnectionError(answer.substring(4));
      pg.awaitBackends(app, 0, Duration.ofSeconds(10));    // the server finished the statement
      assertEquals(1, pg.count("select count(*) from " + table), "committed by the server, once");
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertEquals("1", sh.ok("query c1 select count(*) from " + table), "the same Connection works again");
    }
  }

  // --- The server behind PgBouncer --------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void readAfterTheBackendBehindPgBouncerIsTerminatedWorks(PoolMode mode) {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'one')");
      assertEquals(1, pg.terminate(app));
      bouncer.awaitServers(0, Duration.ofSeconds(5));      // PgBouncer saw its server go
      assertEquals("1,one", sh.ok("query c1 select id, v from " + table));
      if (mode == PoolMode.SESSION) {
        assertEquals(1, sh.stat("StatementsRetried"), "PgBouncer dropped the client with its server");
      } else {
        assertEquals(0, sh.stat("DeadConnectionsDetected"), "an idle pooled server: PgBouncer replaced it");
      }
    }
  }

  @Test
  void serverIdleTimeoutInTransactionPoolingIsInvisibleToTheApp() {
    bouncer(PoolMode.TRANSACTION, "server_idle_timeout = 1");
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      String pidBefore = sh.ok("query c1 select pg_backend_pid()");
      bouncer.awaitServers(0, Duration.ofSeconds(10));     // PgBouncer closed the idle server
      assertNotEquals(pidBefore, sh.ok("query c1 select pg_backend_pid()"));
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
    }
  }

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void transactionBrokenBehindPgBouncerSurfacesAnErrorAndNothingIsCommitted(PoolMode mode) {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals(1, pg.terminate(app));
      // The server rolled it back: 40001, the driver's dead-connection error as its cause.
      String err = sh.err("update c1 insert into " + table + " values (2, 'b')");
      assertTrue(err.startsWith("40001 0 SQLTransactionRollbackException"), err);
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")), "the transaction is gone: commit must not pretend");
      sh.ok("rollback c1");
      assertEquals(0, pg.count("select count(*) from " + table), "no partial commit");
      sh.ok("update c1 insert into " + table + " values (3, 'c')");
      sh.ok("commit c1");
      assertEquals(1, pg.count("select count(*) from " + table + " where id = 3"));
      assertEquals(1, pg.count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }

  // --- Nothing left behind ----------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void closingHealedConnectionsLeavesNoClientInPgBouncer(PoolMode mode) {
    bouncer(mode);
    try (Shell sh = connected(AppJvm.withAgent(NO_OWN_CONNECTION + "validateIdleAfter=off").start())) {
      sh.ok("connect c2 " + bouncer.url(app));
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      bouncer.admin("KILL " + PgBouncer.DATABASE);
      bouncer.admin("RESUME " + PgBouncer.DATABASE);
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      assertEquals(2, sh.stat("Reconnects"));
      assertEquals(2, bouncer.clients(), "the two replacements, nothing else");
      sh.ok("close c1");
      sh.ok("close c2");
      bouncer.awaitClients(0, Duration.ofSeconds(10));
    }
  }
}
