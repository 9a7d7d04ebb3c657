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
 * Reads that real tools send, after KILL CONNECTION on MariaDB: Hibernate's GROUP_CONCAT ...
 * SEPARATOR, Flyway's SUBSTRING_INDEX(USER(), '@', 1), the JPA {@code like ? escape '\\'} and
 * WordPress's {@code LIKE '\_...'} are re-executed with the right answer; LAST_INSERT_ID(), whose
 * answer belongs to the lost session (a fresh one says 0), is refused and the app gets the error.
 */
class MariaDbRealReadsIT {
  private MariaDbAdmin db;
  private String user;
  private String table;

  @BeforeEach
  void setUp() {
    db = Databases.mariadb();
    user = db.createUser("cg");
    table = db.uniqueName("t");
    db.exec("create table " + table + " (id int auto_increment primary key, v varchar(20))");
    db.exec("insert into " + table + " (v) values ('one'), ('two'), ('_tr_a')");
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

  private Shell connected() {
    Shell sh = AppJvm.withAgent("validateIdleAfter=off").jvmArg(AppJvm.QUICK_START).start();
    sh.ok("connect c1 " + db.url(user));
    return sh;
  }

  @Test
  void groupConcatAndFlywaysUserQueryAreReExecuted() {
    try (Shell sh = connected()) {
      String hibernate = "query c1 select group_concat(v order by id separator ',') from " + table;
      String flyway = "query c1 SELECT SUBSTRING_INDEX(USER(), '@', 1), DATABASE(), TRUNCATE(2.567, 2)";
      assertEquals("one,two,_tr_a", sh.ok(hibernate));
      assertEquals(user + ",test,2.56", sh.ok(flyway));
      assertEquals(1, db.kill(user));
      assertEquals("one,two,_tr_a", sh.ok(hibernate), "re-executed on a fresh connection");
      assertEquals(user + ",test,2.56", sh.ok(flyway));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesRefused"));
      assertEquals(1, db.backends(user), "one fresh connection serves the app");
    }
  }

  @Test
  void likeWithBackslashEscapesIsReExecuted() {
    try (Shell sh = connected()) {
      // Hibernate on MariaDB writes JPA's escape character '\' as '\\' (backslash escapes on).
      sh.ok("prepare s1 c1 select id, v from " + table + " where v like ? escape '\\\\' order by id");
      sh.ok("set s1 1 string \\_tr%");
      String wordpress = "query c1 select v from " + table + " where v like '\\_tr\\_%'";
      assertEquals("3,_tr_a", sh.ok("pquery s1"));
      assertEquals("_tr_a", sh.ok(wordpress));
      assertEquals(1, db.kill(user));
      assertEquals("3,_tr_a", sh.ok("pquery s1"), "re-executed with its parameter");
      assertEquals("_tr_a", sh.ok(wordpress));
      assertEquals(1, sh.stat("StatementsRetried"));
    }
  }

  @Test
  void lastInsertIdIsNotReExecutedBecauseItsAnswerBelongsToTheLostSession() {
    try (Shell sh = connected()) {
      assertEquals("1", sh.ok("update c1 insert into " + table + " (v) values ('new')"));
      assertEquals("4", sh.ok("query c1 select last_insert_id()"));
      assertEquals(1, db.kill(user));
      String err = sh.err("query c1 select last_insert_id()");
      assertTrue(err.startsWith("08") || err.startsWith("HY") || err.startsWith("70100"),
          "the app gets the dead connection's error, not a 0 from a fresh session: " + err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      sh.awaitStderr("LAST_INSERT_ID() belongs to the lost session", Duration.ofSeconds(10));
      assertEquals(4, db.count("select count(*) from " + table), "the insert ran once");
    }
  }
}
