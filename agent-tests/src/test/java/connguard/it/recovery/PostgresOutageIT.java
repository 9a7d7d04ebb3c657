package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.faults.FaultProxy;
import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;
import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconnecting is bounded by retryWindow: a short outage is ridden through, a long one ends in the
 * original error in bounded time, and the same Connection works once the server is back. The
 * outage is our loopback FaultProxy between the app and PostgreSQL: cut every connection, refuse
 * new ones.
 */
class PostgresOutageIT {
  private PgAdmin pg;
  private FaultProxy proxy;
  private String app;

  @BeforeEach
  void setUp() {
    pg = Databases.postgres();
    proxy = FaultProxy.start(PgAdmin.PORT);
    app = pg.uniqueName("out");
  }

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    if (pg != null) {
      pg.terminate(app);
    }
  }

  @Test
  void aShortOutageIsRiddenThrough() throws Exception {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,retryWindow=10s").start()) {
      sh.ok("connect c1 " + pg.url(app, proxy.port()));
      sh.ok("query c1 select 1");
      proxy.refuse(true);
      proxy.cutAll();
      Thread outage = new Thread(() -> {
        try {
          Thread.sleep(700);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
        proxy.refuse(false);
      });
      outage.start();
      assertEquals("2", sh.ok("query c1 select 2"));
      outage.join(5_000);
      assertEquals(1, sh.stat("StatementsRetried"));
      assertEquals(0, sh.stat("RetriesExhausted"));
    }
  }

  @Test
  void aLongOutageEndsInTheOriginalErrorWithinTheRetryWindowAndTheConnectionWorksAfterwards() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,retryWindow=1s").start()) {
      sh.ok("connect c1 " + pg.url(app, proxy.port()));
      sh.ok("query c1 select 1");
      proxy.refuse(true);
      proxy.cutAll();
      long started = System.nanoTime();
      String err = sh.err("query c1 select 2", Duration.ofSeconds(20));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(err.startsWith("08"), "the original connection error: " + err);
      assertTrue(tookMillis < 8_000, "bounded by retryWindow, took " + tookMillis + " ms");
      assertEquals(1, sh.stat("RetriesExhausted"));
      proxy.refuse(false);
      assertEquals("3", sh.ok("query c1 select 3"), "the same Connection object works again");
      sh.awaitStderr("retryWindow=1s", Duration.ofSeconds(10));
    }
  }

  @Test
  void aBlackholedReconnectDoesNotHangTheApp() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=off,retryWindow=1s").start()) {
      sh.ok("connect c1 " + pg.url(app, proxy.port()));
      sh.ok("query c1 select 1");
      proxy.cutAll();
      proxy.blackhole(true);                 // new connections are accepted but never answered
      long started = System.nanoTime();
      sh.err("query c1 select 2", Duration.ofSeconds(30));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(tookMillis < 8_000, "bounded by retryWindow, took " + tookMillis + " ms");
      proxy.blackhole(false);
    }
  }
}
