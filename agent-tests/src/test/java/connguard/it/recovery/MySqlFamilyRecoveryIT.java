package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.SqlAdmin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link RecoveryIT} on MariaDB, once per MySQL-protocol driver (one small subclass each):
 * connections killed with KILL CONNECTION or closed by wait_timeout. Each child connects as a
 * user of its own, so the admin side finds and kills exactly its connections in
 * information_schema.processlist. Plus what only this server has: DDL that commits by itself,
 * session variables and USE restored.
 */
abstract class MySqlFamilyRecoveryIT extends RecoveryIT {
  @Override SqlAdmin database() {
    return Databases.mariadb();
  }

  @Override String shortIdleTimeout() {
    return "SET SESSION wait_timeout = 1";
  }

  @Override String sessionIdRead() {
    return "select connection_id()";
  }

  @Override String nextValueRead(String sequence) {
    return "select nextval(" + sequence + ")";
  }

  @Override String sessionLock(int key) {
    return "select get_lock('connguard-" + key + "', 5)";
  }

  @Override String sessionUnlock(int key) {
    return "select release_lock('connguard-" + key + "')";
  }

  @Override void runStatementsTheServerRefuses(Shell sh) {
    String syntax = sh.err("query c1 select 1 +");
    assertTrue(syntax.startsWith("42000 1064 "), syntax);
    String duplicate = sh.err("update c1 insert into " + table + " values (1, 'a')");
    assertTrue(duplicate.startsWith("23000 1062 "), duplicate);
    // 70100 is also the state of 1927 (connection killed): the code tells them apart.
    sh.ok("execute c1 SET SESSION max_statement_time = 0.05");
    String interrupted = sh.err("query c1 select sleep(2)");
    assertTrue(interrupted.startsWith("70100 1969 "), interrupted);
    sh.ok("execute c1 SET SESSION max_statement_time = 0");
    sh.ok("connect c2 " + url());
    sh.ok("autocommit c2 false");
    sh.ok("update c2 update " + table + " set v = 'b' where id = 1");   // holds the row lock
    sh.ok("execute c1 SET SESSION innodb_lock_wait_timeout = 1");
    String lockWait = sh.err("update c1 update " + table + " set v = 'c' where id = 1");
    assertTrue(lockWait.contains(" 1205 "), lockWait);
    sh.ok("rollback c2");
    assertEquals(2, backends(), "nothing was replaced");
  }

  @Test
  void sessionVariablesDatabaseIsolationAndReadOnlyAreRestoredAfterAKill() {
    String other = Databases.mariadb().createDatabase("cgdb", app);
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("execute c1 SET SESSION sql_mode = 'ANSI_QUOTES'");
      sh.ok("execute c1 SET @@session.max_join_size = 12345");
      sh.ok("execute c1 USE " + other);
      sh.ok("isolation c1 8");             // SERIALIZABLE
      sh.ok("readonly c1 true");
      String session = "query c1 select @@sql_mode, @@max_join_size, database(), @@tx_isolation";
      String expected = "ANSI_QUOTES,12345," + other + ",SERIALIZABLE";
      assertEquals(expected, sh.ok(session));
      assertEquals(1, kill());
      assertEquals(expected, sh.ok(session), "SET, SET @@session, USE and isolation made again");
      // Against MariaDB 10.11 neither driver sends read-only to the server (tx_read_only stays 0
      // without the agent too), so the fresh connection's own isReadOnly is the evidence.
      assertEquals("true", sh.ok("getreadonly c1"));
      assertEquals("8", sh.ok("getisolation c1"));
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sh.stat("StatementsRetried"));
    } finally {
      admin.exec("drop database if exists " + other);
    }
  }

  @Test
  void ddlAsFirstStatementOfATransactionIsNotRetriedBecauseItCommitsByItself() {
    String created = admin.uniqueName("ddl");
    try (Shell sh = connected(child("validateIdleAfter=off").start())) {
      sh.ok("autocommit c1 false");
      sh.ok("query c1 select 1");
      sh.ok("commit c1");
      assertEquals(1, kill());
      String err = sh.err("update c1 create table " + created + " (x int)");
      assertKilledSession(err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      sh.awaitStderr("not re-executed: write outcome unknown", Duration.ofSeconds(10));
    } finally {
      admin.exec("drop table if exists " + created);
    }
  }
}
