package connguard.it.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Deadline;
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
    Deadline deadline = Deadline.in(timeout);
    String answer = ok(command);
    while (!done.test(answer)) {
      if (deadline.expired()) {
        fail("after " + timeout + ", " + command + " still answers: " + answer + "\nstderr:\n" + stderr());
      }
      deadline.pause(100);
      answer = ok(command);
    }
    return answer;
  }

  /** The child's stderr once it contains {@code text}, within {@code timeout}. */
  String awaitStderr(String text, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    String err = stderr();
    while (!err.contains(text)) {
      if (!process.isAlive() || deadline.expired()) {
        fail("after " + timeout + ", no \"" + text + "\" on the child's stderr (alive: " + process.isAlive() + "):\n"
            + err);
      }
      deadline.pause(50);
      err = stderr();
    }
    return err;
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
    Deadline deadline = Deadline.in(ANSWER_TIMEOUT);
    List<String> lines = readLines();
    while (lines.size() <= answersRead) {
      if (!process.isAlive() || deadline.expired()) {
        fail("no answer from the child (alive: " + process.isAlive() + ")\nstderr:\n" + stderr());
      }
      deadline.pause(20);
      lines = readLines();
    }
    return lines.get(answersRead++);
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
