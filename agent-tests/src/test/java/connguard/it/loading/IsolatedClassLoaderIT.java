package connguard.it.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import connguard.it.harness.AppJvm;
import connguard.it.harness.ChildJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A driver in a loader that cannot see the system class path (a webapp loader whose parent is the
 * platform loader): the woven advice must link to the bridge on the bootstrap loader, never to a
 * class only the agent's loader sees.
 */
class IsolatedClassLoaderIT {
  private PgAdmin pg;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    app = pg.uniqueName("iso");
  }

  @AfterEach
  void tearDown() {
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void driverInAWebappStyleLoaderIsGuardedAndHealed() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("isolated c1 " + ChildJvm.jarOnClassPath("postgresql-") + " org.postgresql.Driver " + pg.url(app));
      assertEquals("java.net.URLClassLoader", sh.ok("loaderof c1"));
      sh.ok("prepare s1 c1 select ? + 1");
      sh.ok("set s1 1 int 1");
      assertEquals("2", sh.ok("pquery s1"));
      assertEquals(1, pg.terminate(app));
      assertEquals("2", sh.ok("pquery s1"));
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals("", sh.stderr().lines().filter(l -> l.contains("NoClassDefFoundError")
          || l.contains("LinkageError")).reduce("", String::concat));
    }
  }

  @Test
  void twoIsolatedCopiesOfTheDriverAreBothGuarded() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("isolated c1 " + ChildJvm.jarOnClassPath("postgresql-") + " org.postgresql.Driver " + pg.url(app));
      sh.ok("isolated c2 " + ChildJvm.jarOnClassPath("postgresql-") + " org.postgresql.Driver " + pg.url(app));
      sh.ok("connect c3 " + pg.url(app));      // and one on the system class path
      assertEquals(3, pg.terminate(app));
      assertEquals("1", sh.ok("query c1 select 1"));
      assertEquals("2", sh.ok("query c2 select 2"));
      assertEquals("3", sh.ok("query c3 select 3"));
      assertEquals(3, sh.stat("StatementsRetried"));
      assertEquals(3, sh.stat("ConnectionsGuarded"));
    }
  }

  @Test
  void twoDifferentDriverVersionsInTwoLoadersAreBothGuarded() {
    String older = System.getProperty("connguard.olderPgjdbc");
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off").start()) {
      sh.ok("isolated c1 " + ChildJvm.jarOnClassPath("postgresql-") + " org.postgresql.Driver " + pg.url(app));
      sh.ok("isolated c2 " + older + " org.postgresql.Driver " + pg.url(app));
      assertEquals(2, pg.terminate(app));
      assertEquals("1", sh.ok("query c1 select 1"));
      assertEquals("2", sh.ok("query c2 select 2"));
      assertEquals(2, sh.stat("StatementsRetried"));
      assertEquals(2, sh.stat("ConnectionsGuarded"));
    }
  }
}
