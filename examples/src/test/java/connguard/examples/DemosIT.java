package connguard.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What `make demo`, `make demo-hikari` and `make demo-spring` promise a newcomer: each demo fails
 * without the agent and finishes correctly with it. Each run is a child JVM with its own H2 server.
 */
class DemosIT {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BatchJobDemo", "HikariWorkerDemo", "JdbcTemplateDemo"})
  void demoFailsWithoutTheAgentAndFinishesWithIt(String demo) throws Exception {
    Run without = run(demo, null);
    assertEquals(1, without.exit, "without the agent the job fails:\n" + without.output);
    assertTrue(without.result().contains("FAILED"), without.output);

    Run with = run(demo, "-javaagent:" + System.getProperty("connguard.jar") + "=validateIdleAfter=250ms");
    assertEquals(0, with.exit, "with the agent the job finishes:\n" + with.output);
    assertTrue(with.output.contains("connguard: "), "the agent said what it did:\n" + with.output);
  }

  private Run run(String demo, String agent) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agent != null) {
      command.add(agent);
    }
    command.add("-cp");
    command.add(classPath());
    command.add("connguard.examples." + demo);
    Path output = Files.createTempFile(dir, demo, ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(demo + " did not finish in 120 s:\n" + Files.readString(output));
    }
    return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** The test class path minus the agent's own classes (they come only from -javaagent). */
  private static String classPath() {
    String raw = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(raw.split(File.pathSeparator))
        .filter(entry -> !entry.contains("connguard-0.1") && !entry.endsWith("agent/target/classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static final class Run {
    final int exit;
    final String output;

    Run(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }

    String result() {
      return output.lines().filter(l -> l.startsWith("RESULT:")).findFirst().orElse("(no RESULT line)");
    }
  }
}
