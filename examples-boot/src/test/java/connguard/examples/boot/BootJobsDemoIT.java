package connguard.examples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.examples.DemoJvm;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `make demo-boot` promises: the Spring Boot service fails across the H2 restart without the
 * agent, and with it processes every job exactly once (the demo's own admin check), its three held
 * transactions refused as 40001, rolled back by Spring and run again.
 */
class BootJobsDemoIT {
  private static final String DEMO = "connguard.examples.boot.BootJobsDemo";

  @TempDir
  Path dir;

  @Test
  void failsWithoutTheAgentAndProcessesEveryJobOnceWithIt() throws Exception {
    DemoJvm.Run without = DemoJvm.start(dir, DEMO, null, Map.of()).finish();
    assertEquals(1, without.exit, "without the agent jobs fail:\n" + without.output);
    assertTrue(without.result().contains("FAILED"), without.result());

    DemoJvm.Run with = DemoJvm.start(dir, DEMO, DemoJvm.agent(), Map.of()).finish();
    assertEquals(0, with.exit, "with the agent every job is done exactly once:\n" + with.output);
    assertTrue(with.result().contains("3 transactions rolled back with a transient error and run again"),
        "each held transaction surfaced to Spring as 40001 and was rolled back: " + with.result());
    assertTrue(with.output.contains("CannotAcquireLockException: 40001"), with.output);
  }
}
