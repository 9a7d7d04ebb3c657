package connguard.it.loading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Deadline;
import connguard.it.harness.Shell;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every user sees when adding the flag: the app runs, and the JVM has nothing to complain about. */
class AgentStartupIT {
  @Test
  void theAgentMakesTheJvmPrintNoWarnings() {
    try (Shell sh = AppJvm.withAgent("").start()) {
      sh.ok("connect c1 jdbc:h2:mem:startup");
      assertEquals("1", sh.ok("query c1 select 1"));
      String stderr = sh.awaitStderr("connguard: guarding JDBC connections", Duration.ofSeconds(10));
      // Appending to the bootstrap class path makes HotSpot warn about class-data sharing, and
      // sun.misc.Unsafe use makes JDK 24+ warn: neither may reach the user's console.
      assertFalse(stderr.contains("warning"), stderr);
      assertFalse(stderr.contains("WARNING"), stderr);
      assertEquals(1, sh.stat("ConnectionsGuarded"));
    }
  }

  /**
   * The start-up line waits at least a second after the first connection (the app is starting then); a
   * JVM that ends sooner, like a short CLI, still prints it on its way out, and exits promptly.
   */
  @Test
  void aJvmThatEndsRightAfterItsFirstQueryStillPrintsTheStartupLine() {
    Shell sh = AppJvm.withAgent("").start();
    long quitNanos;
    try {
      long connectNanos = System.nanoTime();
      sh.ok("connect c1 jdbc:h2:mem:brief");
      assertEquals("1", sh.ok("query c1 select 1"));
      quitNanos = System.nanoTime();
      if (quitNanos - connectNanos < 500_000_000L) {     // a loaded machine may take longer than the delay
        assertFalse(sh.stderr().contains("guarding JDBC connections"), "not yet: it waits for the app to start");
      }
    } finally {
      sh.close();
    }
    long exitMillis = (System.nanoTime() - quitNanos) / 1_000_000;
    assertTrue(sh.stderr().contains("connguard: guarding JDBC connections (first: jdbc:h2:mem:brief)"), sh.stderr());
    assertTrue(exitMillis < 5_000, "exit waits for the line, briefly: " + exitMillis + " ms");
  }

  /**
   * The MBean (and the app's meters) wait while the app keeps loading classes after its first
   * connection, as a Spring Boot app does for seconds, and come soon after it stops: the JVM's
   * class loads reach the wait (a count that never moved would let them come after a second).
   */
  @Test
  void theAgentsOwnStartupWorkWaitsWhileTheAppStillLoadsClasses() throws Exception {
    try (Shell sh = AppJvm.withAgent("").start()) {
      assertTrue(Integer.parseInt(sh.ok("jdkclasses")) > 2_000);
      long connectNanos = System.nanoTime();
      sh.ok("connect c1 jdbc:h2:mem:loading");
      assertEquals("1", sh.ok("query c1 select 1"));
      int loaded = Integer.parseInt(sh.ok("loadjdk 2500"));
      assertTrue(loaded > 500, "the app loaded " + loaded + " classes");
      assertEquals("false", sh.ok("mbeanup"), "not while the app loads classes");
      Deadline deadline = Deadline.in(Duration.ofSeconds(6));
      while (!sh.ok("mbeanup").equals("true") && !deadline.expired()) {
        deadline.pause(50);
      }
      long millis = (System.nanoTime() - connectNanos) / 1_000_000;
      assertEquals("true", sh.ok("mbeanup"), "registered once the app is quiet");
      // Quiet after ~2.5 s; a wait that missed it would run to its 5 s cap after the connection.
      assertTrue(millis < 4_300, "soon after the app went quiet, well before the cap: " + millis + " ms after connecting");
    }
  }

  @Test
  void disabledAgentInstrumentsNothing() {
    try (Shell sh = AppJvm.withAgent("enabled=false").start()) {
      sh.ok("connect c1 jdbc:h2:mem:disabled");
      assertEquals("1", sh.ok("query c1 select 1"));
      assertTrue(sh.err("stat ConnectionsGuarded").contains("NoMBean"));
      sh.awaitStderr("enabled=false", Duration.ofSeconds(10));
    }
  }
}
