package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.MariaDbAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core promise on MariaDB, once per MySQL-protocol driver (one small subclass each):
 * connections killed with KILL CONNECTION or closed by wait_timeout are healed, and what is
 * re-executed is exactly what is safe. Each child connects as a user of its own, so the admin
 * side finds and kills exactly its connections in information_schema.processlist. Every behaviour
 * is checked from the admin connection and the JMX counters, not only from what the app printed.
 */
abstract class MySqlFamilyRecoveryIT {
  MariaDbAdmin db;
  String user;
  String table;

  /** The child's JDBC URL for this driver, connecting as {@code user} to database test. */
  abstract String url(String user);

  /** The driver's own Connection class: the app keeps seeing it after a heal. */
  abstract String connectionClass();

  @BeforeEach
  void setUp() {
    db = Databases.mariadb();
    user = db.createUser("cg");
    table = db.uniqueName("t");
    // No key: a statement run twice would leave two rows, not a duplicate-key error.
    db.exec("create table " + table + " (id int, v varchar(20))");
  }

  @AfterEach
  void tearDown() {
    if (db != null && user != null) {
      try {
        db.dropUser(user);
      } finally {
        db.exec("drop table if exists " + table);
      }
    }
  }

  /**
   * A child with the agent, C1 only ({@link AppJvm#QUICK_START}: nothing tested here depends on
   * the JIT). Without the agent's own look at the server's timeouts (SelfTuningIT covers it): that
   * connection of the same user would race the kills and backend counts here.
   */
  AppJvm child(String agentArgs) {
    return AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START);
  }

  AppJvm childWithoutAgent() {
    return AppJvm.withoutAgent().jvmArg(AppJvm.QUICK_START);
  }

  Shell connected(Shell sh) {
    sh.ok("connect c1 " + url(user));
    return sh;
  }

  @Test
  void withoutAgentAQueryAfterKillFails() {
    try (Shell sh = connected(childWithoutAgent().start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, db.kill(user));
      String err = sh.err("query c1 select 1");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
    }
  }

  @Test
  void selectAfterKillIsRetriedOnce() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (1, 'one')");
      assertEquals(1, db.kill(user));
      assertEquals("1,one", sh.ok("query c1 select id, v from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sh.stat("DeadConnectionsDetected"));
      assertEquals(1, db.backends(user), "the killed connection is gone, one fresh one serves the app");
      sh.awaitStderr("re-executed executeQuery", Duration.ofSeconds(10));
    }
  }

  @Test
  void insertWithUnknownOutcomeIsNotRetried() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("query c1 select 1");
      assertEquals(1, db.kill(user));
      String err = sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertTrue(db.count("select count(*) from " + table + " where id = 1") <= 1, "never two rows");
      assertEquals("0", sh.ok("query c1 select count(*) from " + table + " where id = 2"),
          "the same Connection works again afterwards");
    }
  }

  @Test
  void preparedInsertWithUnknownOutcomeIsNotRetried() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'p')");
      sh.ok("set s1 1 int 1");
      assertEquals("1", sh.ok("pupdate s1"));
      assertEquals(1, db.kill(user));
      sh.ok("set s1 1 int 2");
      String err = sh.err("pupdate s1");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      assertTrue(db.count("select count(*) from " + table + " where id = 2") <= 1, "never two rows");
    }
  }

  @Test
  void preparedStatementTakesNewParametersAfterItsConnectionWasReplaced() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 insert into " + table + " values (?, 'p')");
      sh.ok("prepare s2 c1 select count(*) from " + table);
      sh.ok("set s1 1 int 1");
      assertEquals("1", sh.ok("pupdate s1"));
      assertEquals(1, db.kill(user));
      assertEquals("1", sh.ok("pquery s2"), "a read heals the connection");
      sh.ok("set s1 1 int 2");
      assertEquals("1", sh.ok("pupdate s1"), "the app's PreparedStatement works on the fresh connection");
      assertEquals(1, db.count("select count(*) from " + table + " where id = 2"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void idleConnectionClosedByWaitTimeoutIsValidatedAndReplacedBeforeAnInsertSoItIsWrittenOnce() {
    try (Shell sh = connected(child("validateIdleAfter=200ms").start())) {
      sh.ok("execute c1 SET SESSION wait_timeout = 1");
      db.awaitBackends(user, 0, Duration.ofSeconds(10));   // the server closed the idle session
      assertEquals("1", sh.ok("update c1 insert into " + table + " values (1, 'x')"));
      assertEquals(1, db.count("select count(*) from " + table), "written exactly once");
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before sending: nothing to re-execute");
    }
  }

  @Test
  void withoutAgentAnInsertAfterWaitTimeoutFails() {
    try (Shell sh = connected(childWithoutAgent().start())) {
      sh.ok("execute c1 SET SESSION wait_timeout = 1");
      db.awaitBackends(user, 0, Duration.ofSeconds(10));
      sh.err("update c1 insert into " + table + " values (1, 'x')");
      assertEquals(0, db.count("select count(*) from " + table));
    }
  }

  @Test
  void readAfterWaitTimeoutIsRetriedWhenValidationIsOff() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 SET SESSION wait_timeout = 1");
      db.awaitBackends(user, 0, Duration.ofSeconds(10));
      assertEquals("0", sh.ok("query c1 select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void preparedStatementFromBeforeTheKillIsRecreatedWithItsParameters() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (41, 'p')");
      sh.ok("prepare s1 c1 select v, ? + 1 from " + table + " where id = ?");
      sh.ok("fetchsize s1 7");
      sh.ok("set s1 1 int 41");
      sh.ok("set s1 2 int 41");
      assertEquals("p,42", sh.ok("pquery s1"));
      assertEquals(1, db.kill(user));
      assertEquals("p,42", sh.ok("pquery s1"), "re-created on the fresh connection with both parameters");
      assertEquals("7", sh.ok("getfetchsize s1"));
      assertEquals(connectionClass(), sh.ok("classof c1"), "the app keeps the driver's object");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, db.backends(user));
    }
  }

  @Test
  void connectionStillUnwrapsToTheDriverTypeAfterAHeal() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("prepare s1 c1 select 1");
      sh.ok("pquery s1");
      assertEquals(1, db.kill(user));
      assertEquals("1", sh.ok("pquery s1"));
      assertEquals("true", sh.ok("unwrap c1 " + connectionClass()));
      assertEquals(connectionClass(), sh.ok("classof c1"));
    }
  }

  @Test
  void sessionVariablesDatabaseIsolationAndReadOnlyAreRestoredAfterAKill() {
    String other = db.createDatabase("cgdb", user);
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 SET SESSION sql_mode = 'ANSI_QUOTES'");
      sh.ok("execute c1 SET @@session.max_join_size = 12345");
      sh.ok("execute c1 USE " + other);
      sh.ok("isolation c1 8");             // SERIALIZABLE
      sh.ok("readonly c1 true");
      String session = "query c1 select @@sql_mode, @@max_join_size, database(), @@tx_isolation";
      String expected = "ANSI_QUOTES,12345," + other + ",SERIALIZABLE";
      assertEquals(expected, sh.ok(session));
      assertEquals(1, db.kill(user));
      assertEquals(expected, sh.ok(session), "SET, SET @@session, USE and isolation made again");
      // Against MariaDB 10.11 neither driver sends read-only to the server (tx_read_only stays 0
      // without the agent too), so the fresh connection's own isReadOnly is the evidence.
      assertEquals("true", sh.ok("getreadonly c1"));
      assertEquals("8", sh.ok("getisolation c1"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sh.stat("StatementsRetried"));
    } finally {
      db.exec("drop database if exists " + other);
    }
  }

  @Test
  void transactionBrokenAfterWorkSurfacesErrorAndRollbackWorks() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      assertEquals(1, db.kill(user));
      String err = sh.err("update c1 insert into " + table + " values (2, 'b')");
      // The server rolled it back, certainly: 40001 (SurfacedErrors), the driver's error as its cause.
      assertTrue(err.startsWith("40001 0 SQLTransactionRollbackException"), err);
      // The transaction is gone: commit must not pretend.
      assertEquals("40001", Shell.sqlState(sh.err("commit c1")));
      sh.ok("rollback c1");
      assertEquals(0, db.count("select count(*) from " + table), "no partial commit");
      sh.ok("update c1 insert into " + table + " values (3, 'c')");
      sh.ok("commit c1");
      assertEquals(1, db.count("select count(*) from " + table + " where id = 3"));
      assertEquals(1, db.count("select count(*) from " + table));
      assertEquals(1, sh.stat("TransactionsLost"));
    }
  }

  @Test
  void firstStatementOfATransactionIsRetriedEvenIfItWrites() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("query c1 select 1");
      sh.ok("commit c1");
      assertEquals(1, db.kill(user));
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      sh.ok("commit c1");
      assertEquals(1, db.count("select count(*) from " + table));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals("false", sh.ok("getautocommit c1"));
    }
  }

  @Test
  void ddlAsFirstStatementOfATransactionIsNotRetriedBecauseItCommitsByItself() {
    String created = db.uniqueName("ddl");
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("query c1 select 1");
      sh.ok("commit c1");
      assertEquals(1, db.kill(user));
      String err = sh.err("update c1 create table " + created + " (x int)");
      assertTrue(Shell.sqlState(err).startsWith("08"), err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      sh.awaitStderr("not re-executed: write outcome unknown", Duration.ofSeconds(10));
    } finally {
      db.exec("drop table if exists " + created);
    }
  }

  @Test
  void statementHintMarksOneWriteIdempotent() {
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("update c1 insert into " + table + " values (7, 'x')");
      assertEquals(1, db.kill(user));
      sh.ok("update c1 /* connguard:idempotent */ update " + table + " set v = 'y' where id = 7");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, db.count("select count(*) from " + table + " where v = 'y'"));
    }
  }

  @Test
  void errorsThatAreNotADeadConnectionAreUntouched() {
    db.exec("alter table " + table + " add primary key (id)");
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      String syntax = sh.err("query c1 select 1 +");
      assertTrue(syntax.startsWith("42000 1064 "), syntax);
      sh.ok("update c1 insert into " + table + " values (1, 'a')");
      String duplicate = sh.err("update c1 insert into " + table + " values (1, 'a')");
      assertTrue(duplicate.startsWith("23000 1062 "), duplicate);
      // 70100 is also the state of 1927 (connection killed): the code tells them apart.
      sh.ok("execute c1 SET SESSION max_statement_time = 0.05");
      String interrupted = sh.err("query c1 select sleep(2)");
      assertTrue(interrupted.startsWith("70100 1969 "), interrupted);
      sh.ok("execute c1 SET SESSION max_statement_time = 0");
      sh.ok("connect c2 " + url(user));
      sh.ok("autocommit c2 false");
      sh.ok("update c2 update " + table + " set v = 'b' where id = 1");   // holds the row lock
      sh.ok("execute c1 SET SESSION innodb_lock_wait_timeout = 1");
      String lockWait = sh.err("update c1 update " + table + " set v = 'c' where id = 1");
      assertTrue(lockWait.contains(" 1205 "), lockWait);
      sh.ok("rollback c2");
      assertEquals(0, sh.stat("DeadConnectionsDetected"));
      assertEquals(0, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, db.count("select count(*) from " + table));
      assertEquals(2, db.backends(user), "nothing was replaced");
    }
  }

  @Test
  void hikariConnectionKilledWhileTheAppHoldsItIsHealedOnce() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + url(user) + " 1");
      sh.ok("borrow c1 p1");
      assertEquals("com.zaxxer.hikari.pool.HikariProxyConnection", sh.ok("classof c1"));
      sh.ok("query c1 select 1");
      assertEquals(1, db.kill(user));
      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"), "once per failure, not once per layer");
      assertEquals(1, sh.stat("Reconnects"));
      sh.ok("close c1");                    // back to the pool
      sh.ok("borrow c2 p1");
      assertEquals("3", sh.ok("query c2 select 3"));
      assertEquals(1, db.backends(user), "pool size 1: one connection, the replacement");
    }
  }

  @Test
  void hikariConnectionKilledIdleInThePoolNeverReachesTheAppAsAnError() {
    // Validation off: with the default 2s a slow machine decides whether the agent's idle check
    // or Hikari's own check sees the dead connection first. The next test pins the agent's path.
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + url(user) + " 1");
      sh.ok("borrow c1 p1");
      sh.ok("query c1 select 1");
      sh.ok("close c1");
      assertEquals(1, db.kill(user));
      sh.ok("sleep 600");                   // past Hikari's 500 ms alive-bypass window
      sh.ok("borrow c2 p1");
      assertEquals("2", sh.ok("query c2 select 2"));
      assertEquals(1, db.backends(user));
    }
  }

  @Test
  void hikariConnectionKilledIdleInThePoolIsReplacedByTheAgentWhenHikariChecksIt() {
    try (Shell sh = child("validateIdleAfter=200ms").start()) {
      sh.ok("hikari p1 " + url(user) + " 1");
      sh.ok("borrow c1 p1");
      sh.ok("query c1 select 1");
      sh.ok("close c1");
      assertEquals(1, db.kill(user));
      sh.ok("sleep 600");                   // idle past validateIdleAfter and Hikari's bypass window
      sh.ok("borrow c2 p1");                // Hikari's setNetworkTimeout + isValid: the agent validates
      assertEquals("2", sh.ok("query c2 select 2"));
      assertEquals(1, sh.stat("ValidationsFailed"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(0, sh.stat("StatementsRetried"), "replaced before the app sent anything");
      assertEquals(1, db.backends(user));
    }
  }

  @Test
  void closingTheHikariPoolLeavesNoConnectionIncludingReplacements() {
    try (Shell sh = child("validateIdleAfter=off").start()) {
      sh.ok("hikari p1 " + url(user) + " 2");
      sh.ok("borrow c1 p1");
      sh.ok("borrow c2 p1");
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      assertEquals(2, db.kill(user));
      sh.ok("query c1 select 1");
      sh.ok("query c2 select 1");
      assertEquals(2, sh.stat("Reconnects"));
      sh.ok("close c1");
      sh.ok("close c2");
      sh.ok("close p1");
      db.awaitBackends(user, 0, Duration.ofSeconds(15));
    }
  }
}
