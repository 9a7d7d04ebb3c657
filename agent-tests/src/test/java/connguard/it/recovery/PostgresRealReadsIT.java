package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads that real tools send, after pg_terminate_backend: a monitoring query calling built-ins of
 * every volatility and Spring Data JPA's {@code like ? escape '\'} are re-executed with the right
 * answer; currval, whose answer belongs to the lost session, is refused and the app gets the error.
 */
class PostgresRealReadsIT {
  private PgAdmin pg;
  private String app;
  private String table;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("cg");
    table = pg.uniqueName("t");
    pg.exec("create table " + table + " (id int primary key, v text)");
    pg.exec("insert into " + table + " values (1, 'one'), (2, 'two'), (3, 'o_o')");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
      pg.exec("drop table if exists " + table);
    }
  }

  @Test
  void monitoringQueryAfterBackendKilledIsReExecutedWithTheServersCatalog() {
    // The agent reads the server's functions on a connection of its own (readServerTimeouts):
    // wait until that one is gone, so only the app's backend is killed.
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,readServerTimeouts=true,logLevel=debug").start()) {
      sh.ok("connect c1 " + pg.url(app));
      sh.awaitStderr("read the SQL of", Duration.ofSeconds(20));
      pg.awaitBackends(app, 1, Duration.ofSeconds(10));
      String monitoring = "query c1 select current_setting('search_path'), pg_backend_pid() > 0, pg_is_in_recovery(),"
          + " pg_database_size(current_database()) > 0, pg_catalog.format_type(23, -1),"
          + " pg_wal_lsn_diff(pg_current_wal_lsn(), pg_current_wal_lsn())";
      String before = sh.ok(monitoring);
      assertTrue(before.endsWith(",t,f,t,integer,0"), before);
      assertEquals(1, pg.terminate(app));
      assertEquals(before, sh.ok(monitoring), "the same answer from a fresh backend");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesRefused"));
      assertEquals(1, pg.backends(app), "one fresh backend serves the app");
      sh.awaitStderr("re-executed executeQuery (read)", Duration.ofSeconds(10));
    }
  }

  @Test
  void springDataLikeWithBackslashEscapeIsReExecuted() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + pg.url(app));
      // What Spring Data JPA's findByVContaining sends through Hibernate 6; the app escapes _ itself.
      sh.ok("prepare s1 c1 select id, v from " + table + " where v like ? escape '\\' order by id");
      sh.ok("set s1 1 string %o\\_o%");
      assertEquals("3,o_o", sh.ok("pquery s1"));
      assertEquals(1, pg.terminate(app));
      assertEquals("3,o_o", sh.ok("pquery s1"), "re-executed with its parameter on a fresh backend");
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(1, pg.backends(app));
    }
  }

  @Test
  void currvalIsNotReExecutedBecauseItsAnswerBelongsToTheLostSession() {
    String seq = pg.uniqueName("q");
    pg.exec("create sequence " + seq);
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("connect c1 " + pg.url(app));
      assertEquals("1", sh.ok("query c1 select nextval('" + seq + "')"));
      assertEquals(1, pg.terminate(app));
      String err = sh.err("query c1 select currval('" + seq + "')");
      assertTrue(err.startsWith("57P01") || err.startsWith("08"), "the app gets the dead connection's error: " + err);
      assertEquals(0, sh.stat("StatementsRetried"));
      assertEquals(1, sh.stat("RetriesRefused"));
      sh.awaitStderr("currval() belongs to the lost session", Duration.ofSeconds(10));
      assertEquals(1, pg.count("select last_value from " + seq), "no other number was taken");
      assertEquals("2", sh.ok("query c1 select nextval('" + seq + "')"), "the connection works again afterwards");
    } finally {
      pg.exec("drop sequence if exists " + seq);
    }
  }
}
