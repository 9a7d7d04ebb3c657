package connguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
