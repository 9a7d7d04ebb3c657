package connguard.it.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.AppJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A child JVM running {@link MeteredApp} with the agent: a command is one line on its stdin, its
 * answer one line on its stdout (a file the test polls against a deadline).
 */
final class MeteredJvm implements AutoCloseable {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private int answersRead;

  private MeteredJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** @param with MeteredApp's {@value MeteredApp#WITH}: "micrometer", "otel" or both */
  static MeteredJvm start(String agentArgs, String with, Path dir) {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = AppJvm.withAgent(agentArgs).sysProp(MeteredApp.WITH, with)
        .launch(MeteredApp.class.getName(), out, err);
    MeteredJvm jvm = new MeteredJvm(process, out, err);
    String ready = jvm.nextAnswer();
    if (!ready.equals("READY")) {
      fail("the child did not start: " + ready + "\n" + jvm.stderr());
    }
    return jvm;
  }

  /** Sends one command; its answer without "OK ", or a failure with the child's stderr. */
  String ok(String command) {
    String answer = send(command);
    if (!answer.startsWith("OK ")) {
      fail(command + " -> " + answer + "\nstderr:\n" + stderr());
    }
    return answer.substring(3);
  }

  String send(String command) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      fail("cannot send " + command + " (child alive: " + process.isAlive() + ")\n" + stderr(), e);
    }
    return nextAnswer();
  }

  /** Sends {@code command} until its answer passes {@code done}, within {@code timeout}; the last answer. */
  String await(String command, Predicate<String> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String answer = ok(command);
    for (int polls = 0; !done.test(answer) && polls < 10_000; polls++) {
      if (System.nanoTime() - deadline > 0) {
        fail("after " + timeout + ", " + command + " still answers: " + answer + "\nstderr:\n" + stderr());
      }
      pause(100);
      answer = ok(command);
    }
    return answer;
  }

  /** The child's stderr once it contains {@code text}, within {@code timeout}. */
  String awaitStderr(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int polls = 0; polls < 100_000; polls++) {
      String err = stderr();
      if (err.contains(text)) {
        return err;
      }
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        fail("after " + timeout + ", no \"" + text + "\" on the child's stderr (alive: " + process.isAlive() + "):\n"
            + err);
      }
      pause(50);
    }
    throw new AssertionError("unreachable: the deadline ends the loop");
  }

  /** "name{tags}=value ; ..." as a map from "name{tags}" to the value. */
  static Map<String, String> values(String answer) {
    Map<String, String> values = new LinkedHashMap<>();
    if (answer.isBlank()) {
      return values;
    }
    for (String pair : answer.split(" ; ")) {
      int eq = pair.lastIndexOf('=');
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return values;
  }

  String stderr() {
    try {
      return Files.exists(stderr) ? Files.readString(stderr) : "";
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  private String nextAnswer() {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    for (int polls = 0; polls < 100_000; polls++) {
      List<String> lines = readLines();
      if (lines.size() > answersRead) {
        return lines.get(answersRead++);
      }
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        fail("no answer from the child (alive: " + process.isAlive() + ")\nstderr:\n" + stderr());
      }
      pause(20);
    }
    throw new AssertionError("unreachable: the deadline ends the loop");
  }

  /** Complete lines only: the child may be writing the last one. */
  private List<String> readLines() {
    try {
      String text = Files.exists(stdout) ? Files.readString(stdout) : "";
      int end = text.lastIndexOf('\n');
      return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    } catch (IOException e) {
      throw new AssertionError("cannot read the child's stdout", e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override public void close() {
    try {
      process.getOutputStream().close();      // MeteredApp ends at the end of its stdin
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
