package connguard.it.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Deadline;
import connguard.it.harness.Shell;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "A connection idle for an hour is handled the same as one idle for 2 s", made quick: the
 * server's own idle timeout (1 s) ends the session, then the app reads. With
 * validateIdleAfter=1h the agent does not validate (as after an hour with a 1h setting, or any
 * idle shorter than the setting): the read meets the dead connection and the failure path
 * reconnects and re-runs it. With the default (2s) the agent validates before use and replaces
 * the connection before anything is sent. Either way the app gets its answer. The arithmetic of
 * hour- and day-long gaps is agent/src/test/.../IdleArithmeticTest.
 */
abstract class LongIdleIT {
  static final int IDLE_TIMEOUT_SECONDS = 1;
  private static final Duration GONE_BOUND = Duration.ofSeconds(15);
  private static final long DEFAULT_VALIDATE_IDLE_AFTER_MILLIS = 2000;

  /** A child URL whose sessions the server closes after {@link #IDLE_TIMEOUT_SECONDS} idle. */
  abstract String url();

  /** The child's sessions on the server, counted from the admin connection. */
  abstract int sessions();

  /** Ends what is left of the child's sessions and drops what the test created. */
  abstract void cleanUp();

  @AfterEach
  void end() {
    cleanUp();
  }

  @Test
  void readOnAConnectionTheServerClosedWhileIdleIsRetriedWhenValidationWaitsAnHour() {
    try (Shell sh = AppJvm.withAgent("validateIdleAfter=1h").start()) {
      sh.ok("connect c1 " + url());
      assertEquals("1", sh.ok("query c1 select 1"));
      awaitSessions(0);                            // the server's idle timeout ended it

      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("StatementsRetried"), "the failure path re-ran the read");
      assertEquals(0, sh.stat("ValidationsFailed"), "no validation before use: 1h not reached");
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sessions(), "one fresh session");
    }
  }

  @Test
  void readOnAConnectionTheServerClosedWhileIdleIsValidatedBeforeUseByDefault() {
    try (Shell sh = AppJvm.withAgent("").start()) {
      sh.ok("connect c1 " + url());
      assertEquals("1", sh.ok("query c1 select 1"));
      long lastUse = System.nanoTime();
      awaitSessions(0);
      // Idle past validateIdleAfter's default, so the next call validates first.
      long waitMillis = DEFAULT_VALIDATE_IDLE_AFTER_MILLIS + 300 - (System.nanoTime() - lastUse) / 1_000_000;
      Deadline.in(Duration.ofMillis(Math.max(0, waitMillis))).pause(Math.max(0, waitMillis));

      assertEquals("2", sh.ok("query c1 select 2"));
      assertEquals(1, sh.stat("ValidationsFailed"), "found dead by validation, before use");
      assertEquals(0, sh.stat("StatementsRetried"), "nothing was sent on the dead connection");
      assertEquals(1, sh.stat("Reconnects"));
      assertEquals(1, sessions(), "one fresh session");
    }
  }

  private void awaitSessions(int expected) {
    Deadline deadline = Deadline.in(GONE_BOUND);
    int seen = sessions();
    for (int polls = 0; polls < 1000 && seen != expected && !deadline.expired(); polls++) {
      deadline.pause(100);
      seen = sessions();
    }
    assertTrue(seen == expected, "expected " + expected + " sessions within " + GONE_BOUND + ", saw " + seen);
  }
}
