package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.H2Tcp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core promise on H2 over TCP: the server is killed hard and restarted on the same port while
 * the app holds its connection. Needs no database installed; the server runs in its own JVM.
 */
class H2RestartIT {
  private H2Tcp h2;
  private String url;

  @BeforeEach
  void setUp() throws SQLException {
    h2 = H2Tcp.start();
    url = h2.url("db1");
    try (Connection admin = h2.admin("db1"); Statement s = admin.createStatement()) {
      s.execute("SET WRITE_DELAY 0");       // commits survive a hard kill
      s.execute("create table t (id int primary key, v varchar(20))");
      s.execute("insert into t values (1, 'one')");
    }
  }

  @AfterEach
  void tearDown() {
    if (h2 != null) {
      h2.close();
    }
  }

  private long adminCount(String sql) throws SQLException {
    try (Connection admin = h2.admin("db1"); Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void withoutAgentAQueryAfterServerRestartFails() {
    try (Shell sh = AppJvm.withoutAgent().start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("query c1 select 1");
      h2.kill();
      h2.restart();
      assertTrue(sh.err("query c1 select v from t").startsWith("90067"));
    }
  }

  /** A write refused after the restart (outcome unknown): the driver's error, then the same Connection works on. */
  @Test
  void aRefusedWriteLeavesTheConnectionUsable() throws SQLException {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("query c1 select 1");
      h2.kill();
      h2.restart();
      assertTrue(sh.err("update c1 insert into t values (2, 'two')").startsWith("90067"));
      assertEquals("false", sh.ok("isclosed c1"));
      assertEquals("1", sh.ok("update c1 insert into t values (3, 'three')"));
      assertEquals(1, adminCount("select count(*) from t where id = 3"));
      assertEquals(1, sh.stat("RetriesRefused"));
    }
  }

  /** A transaction broken by the restart: 40001 until rollback(), then the next one commits. */
  @Test
  void aBrokenTransactionIs40001UntilRolledBack() throws SQLException {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into t values (2, 'two')");
      h2.kill();
      h2.restart();
      assertEquals("40001", Shell.sqlState(sh.err("update c1 insert into t values (3, 'three')")));
      sh.ok("rollback c1");
      sh.ok("update c1 insert into t values (4, 'four')");
      sh.ok("commit c1");
      assertEquals(0, adminCount("select count(*) from t where id in (2, 3)"));
      assertEquals(1, adminCount("select count(*) from t where id = 4"));
    }
  }

  @Test
  void readAfterServerRestartIsRetried() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("query c1 select 1");
      h2.kill();
      h2.restart();
      assertEquals("one", sh.ok("query c1 select v from t"));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals("org.h2.jdbc.JdbcConnection", sh.ok("classof c1"));
    }
  }

  @Test
  void preparedStatementSurvivesRestartWithItsParameters() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("prepare s1 c1 select v from t where id = ?");
      sh.ok("set s1 1 int 1");
      assertEquals("one", sh.ok("pquery s1"));
      h2.kill();
      h2.restart();
      assertEquals("one", sh.ok("pquery s1"));
    }
  }

  @Test
  void statementTakesParametersAfterAnotherStatementHealedItsConnection() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("prepare s1 c1 select v from t where id = ?");
      sh.ok("prepare s2 c1 select count(*) from t where id = ?");
      sh.ok("set s1 1 int 1");
      sh.ok("set s2 1 int 1");
      assertEquals("one", sh.ok("pquery s1"));
      assertEquals("1", sh.ok("pquery s2"));
      h2.kill();
      h2.restart();
      assertEquals("one", sh.ok("pquery s1"));     // heals the connection under both statements
      sh.ok("set s2 1 int 1");                     // H2 refuses a setter on a statement of a closed connection
      assertEquals("1", sh.ok("pquery s2"));
      assertEquals(1, sh.stat("Reconnects"));
    }
  }

  @Test
  void insertAfterRestartIsSentOnceOnAValidatedConnection() throws Exception {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=100ms").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("query c1 select 1");
      h2.kill();
      h2.restart();
      sh.ok("sleep 300");
      assertEquals("1", sh.ok("update c1 insert into t values (2, 'two')"));
      assertEquals(1, adminCount("select count(*) from t where id = 2"));
      assertEquals(1, sh.stat("ValidationsFailed"));
    }
  }

  @Test
  void insertAfterRestartWithoutValidationIsNotRetried() throws Exception {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("query c1 select 1");
      h2.kill();
      h2.restart();
      assertTrue(sh.err("update c1 insert into t values (2, 'two')").startsWith("90067"));
      assertTrue(adminCount("select count(*) from t where id = 2") <= 1, "never two rows");
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals("1", sh.ok("query c1 select count(*) from t where id = 1"), "and the connection works again");
    }
  }

  @Test
  void transactionBrokenByRestartSurfacesAnErrorAndNothingIsCommitted() throws Exception {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + url + " sa");
      sh.ok("autocommit c1 false");
      sh.ok("update c1 insert into t values (5, 'five')");
      h2.kill();
      h2.restart();
      sh.err("update c1 insert into t values (6, 'six')");
      sh.ok("rollback c1");
      assertEquals(0, adminCount("select count(*) from t where id in (5, 6)"));
      sh.ok("update c1 insert into t values (7, 'seven')");
      sh.ok("commit c1");
      assertEquals(1, adminCount("select count(*) from t where id = 7"));
    }
  }

  @Test
  void connectionFromTheDriversOwnDataSourceIsHealedToo() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("datasource c1 org.h2.jdbcx.JdbcDataSource " + url + " sa");
      sh.ok("query c1 select 1");
      h2.kill();
      h2.restart();
      assertEquals("one", sh.ok("query c1 select v from t"));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("ConnectionsGuarded"));
    }
  }
}
