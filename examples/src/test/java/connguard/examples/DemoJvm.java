package connguard.examples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One demo run in a child JVM, as `make demo*` runs it: the test's class path without the agent's
 * own classes (those come only from {@code -javaagent}), the embedded H2 unless {@code env} names
 * a JDBC_URL. Public, and shipped in this module's test jar, for the Spring Boot demo's test in
 * examples-boot.
 */
public final class DemoJvm {
  private static final long TIMEOUT_SECONDS = 120;

  private final String mainClass;
  private final Process process;
  private final Path output;

  private DemoJvm(String mainClass, Process process, Path output) {
    this.mainClass = mainClass;
    this.process = process;
    this.output = output;
  }

  /** @param agent the -javaagent option, or null for a run without the agent */
  public static DemoJvm start(Path dir, String mainClass, String agent, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agent != null) {
      command.add(agent);
    }
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    Path output = Files.createTempFile(dir, mainClass.substring(mainClass.lastIndexOf('.') + 1), ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().remove("JDBC_URL");     // the embedded default, unless the test says otherwise
    builder.environment().putAll(env);
    return new DemoJvm(mainClass, builder.start(), output);
  }

  /** The -javaagent option the demos are run with: the jar the build just made. */
  public static String agent() {
    return "-javaagent:" + System.getProperty("connguard.jar") + "=validateIdleAfter=250ms";
  }

  public Process process() {
    return process;
  }

  /** Everything the demo printed so far, stdout and stderr. */
  public Path output() {
    return output;
  }

  /** Waits for the demo's end, bounded; a demo that hangs is killed and fails the test. */
  public Run finish() throws IOException, InterruptedException {
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(mainClass + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** The test class path minus the agent's own classes (they come only from -javaagent). */
  private static String classPath() {
    String raw = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(raw.split(File.pathSeparator))
        .filter(entry -> !entry.contains("connguard-0.1") && !entry.endsWith("agent/target/classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** How a demo ended: its exit code and everything it printed. */
  public static final class Run {
    public final int exit;
    public final String output;

    Run(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }

    /** The demo's RESULT line. */
    public String result() {
      return output.lines().filter(l -> l.startsWith("RESULT:")).findFirst().orElse("(no RESULT line)");
    }
  }
}
