package connguard.it.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The test side of a running {@link JdbcShell}: sends one command, waits (bounded) for its one
 * answer line. Stdout and stderr are read on daemon threads. Not thread-safe: one test drives
 * one shell.
 */
public final class Shell implements AutoCloseable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int TAIL_CHARS = 4000;
  // Identity-compared marker: the child's stdout closed.
  private static final String END = new String("<end of stdout>");

  private final Process process;
  private final List<String> command;
  private final Writer stdin;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final CapturedText stderr;
  private String outOfStepAfter;
  private boolean closed;

  private Shell(Process process, List<String> command) {
    this.process = process;
    this.command = List.copyOf(command);
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.stderr = CapturedText.of(process.getErrorStream(), "shell-" + process.pid() + "-stderr");
    Thread stdout = new Thread(this::readAnswers, "shell-" + process.pid() + "-stdout");
    stdout.setDaemon(true);
    stdout.start();
  }

  static Shell start(List<String> command, Map<String, String> env, Duration startTimeout) {
    Shell shell = new Shell(ChildJvm.launch(command, env), command);
    try {
      shell.await("(start-up: waiting for READY)", startTimeout);  // only READY or the end
      return shell;
    } catch (AssertionError e) {
      shell.close();
      throw e;
    }
  }

  /** Sends a command, returns the raw answer line ({@code OK ...} or {@code ERR ...}). */
  public String send(String command) {
    return send(command, DEFAULT_TIMEOUT);
  }

  public String send(String command, Duration timeout) {
    if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("one command per line: " + command);
    }
    if (closed) {
      throw new IllegalStateException("shell is closed; cannot send \"" + command + "\"");
    }
    if (outOfStepAfter != null) {
      fail("shell is out of step: \"" + outOfStepAfter + "\" got no answer in time, so a later"
          + " answer could belong to it; cannot send \"" + command + "\"" + context());
    }
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException e) {
      fail("cannot send \"" + command + "\" to the child: " + e + context());
    }
    return await(command, timeout);
  }

  /** Asserts the answer is OK and returns what follows {@code "OK "} ("" if nothing). */
  public String ok(String command) {
    return ok(command, DEFAULT_TIMEOUT);
  }

  public String ok(String command, Duration timeout) {
    String answer = send(command, timeout);
    if (answer.equals("OK")) {
      return "";
    }
    if (!answer.startsWith("OK ")) {
      fail("expected OK for \"" + command + "\" but got: " + answer + context());
    }
    return answer.substring(3);
  }

  /** Asserts the answer is ERR and returns the rest, starting with the SQLState. */
  public String err(String command) {
    return err(command, DEFAULT_TIMEOUT);
  }

  public String err(String command, Duration timeout) {
    String answer = send(command, timeout);
    if (!answer.startsWith("ERR ")) {
      fail("expected ERR for \"" + command + "\" but got: " + answer + context());
    }
    return answer.substring(4);
  }

  /** A long attribute of the connguard:type=Stats MBean inside the child. */
  public long stat(String attribute) {
    String value = ok("stat " + attribute);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new AssertionError("stat " + attribute + " is not a long: " + value);
    }
  }

  /** Everything the child wrote to stderr so far (agent logs, stack traces of failed commands). */
  public String stderr() {
    return stderr.text();
  }

  /** Polls stderr until it contains {@code text}; returns all of stderr. */
  public String awaitStderr(String text, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    for (int polls = 0; polls < 100_000; polls++) {
      String all = stderr.text();
      if (all.contains(text)) {
        return all;
      }
      if (deadline.expired()) {
        break;
      }
      deadline.pause(20);
    }
    throw new AssertionError("stderr of the child did not contain \"" + text + "\" within "
        + timeout + context());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> command() {
    return command;
  }

  /** Sends quit, waits (bounded) for the exit, then kills the child if it is still there. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (outOfStepAfter != null) {
      // Still busy with the command that timed out; quit would wait behind it.
      process.destroyForcibly();
    }
    try {
      if (process.isAlive() && outOfStepAfter == null) {
        stdin.write("quit\n");
        stdin.flush();
        answers.poll(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (IOException | InterruptedException e) {
      // The child is gone or going; the forced path below finishes the job.
    }
    try {
      stdin.close();
    } catch (IOException e) {
      // Already closed by the child's exit.
    }
    try {
      if (!process.waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    stderr.awaitEnd(2000);
  }

  /** The SQLState (first word) of what {@link #err} returned. */
  public static String sqlState(String err) {
    int space = err.indexOf(' ');
    return space < 0 ? err : err.substring(0, space);
  }

  private String await(String command, Duration timeout) {
    String answer;
    try {
      answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for \"" + command + "\"", e);
    }
    if (answer == null) {
      outOfStepAfter = command;
      fail("no answer to \"" + command + "\" within " + timeout + context());
    }
    if (answer == END) {
      answers.add(END);  // every later call sees the end too
      stderr.awaitEnd(2000);
      fail("child JVM ended before answering \"" + command + "\"" + context());
    }
    return answer;
  }

  /** Pid, liveness, command line and the stderr tail: what a failure message needs. */
  private String context() {
    String state = process.isAlive() ? "alive" : "exited with " + process.exitValue();
    return "\n  child pid " + process.pid() + " " + state
        + "\n  command: " + String.join(" ", command)
        + "\n  stderr tail:\n" + stderr.tail(TAIL_CHARS);
  }

  private void readAnswers() {
    boolean ready = false;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      // Ends when the child exits and the pipe closes.
      for (String line; (line = out.readLine()) != null; ) {
        if (!ready && line.equals("READY")) {
          ready = true;
          answers.add(line);
        } else if (ready && isAnswer(line)) {
          answers.add(line);
        } else {
          // Someone else printed to the real stdout (e.g. an agent banner before main ran).
          stderr.append("[stdout] " + line + "\n");
        }
      }
    } catch (IOException e) {
      stderr.append("[reading stdout failed: " + e + "]\n");
    } finally {
      answers.add(END);
    }
  }

  private static boolean isAnswer(String line) {
    return line.equals("OK") || line.startsWith("OK ") || line.startsWith("ERR ");
  }
}
