package connguard.it.servers;

import connguard.it.harness.Deadline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the private servers ({@link PrivatePostgres}, {@link PrivateMariaDb}) share: running a
 * server tool as the server's own system user with a time bound, a free loopback port, a temp
 * directory that user owns, and waiting for a port to accept.
 */
final class ServerCommand {
  private ServerCommand() {}

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Why this JVM cannot run a server as {@code user}, or null if it can: as root (through
   * runuser) when the user exists, or as that very user.
   */
  static String runAsProblem(String user) {
    if (user.equals(System.getProperty("user.name"))) {
      return null;
    }
    if (!isRoot()) {
      return "the private " + user + " server needs root (runuser -u " + user + ") or user " + user;
    }
    try {
      principal(user);
      return null;
    } catch (IOException e) {
      return "no system user " + user + " to run the private server as: " + e.getMessage();
    }
  }

  /** {@code command} as {@code user}: through runuser when we are root and not that user. */
  static List<String> as(String user, List<String> command) {
    List<String> full = new ArrayList<>();
    if (isRoot() && !user.equals(System.getProperty("user.name"))) {
      full.addAll(List.of("runuser", "-u", user, "--"));
    }
    full.addAll(command);
    return full;
  }

  /** Runs to the end within {@code timeout}; fails with its output if it fails. Returns the output. */
  static String run(List<String> command, Duration timeout) {
    try {
      Path out = Files.createTempFile("connguard-cmd", ".log");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (!ended || p.exitValue() != 0) {
          throw new AssertionError((ended ? "exit " + p.exitValue() : "still running after " + timeout)
              + ": " + String.join(" ", command) + "\n" + tail(text, 3000));
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", command), e);
    }
  }

  /** A new temp directory owned by {@code user} (mode 700, as both servers require). */
  static Path directoryOwnedBy(String user, String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      if (!user.equals(System.getProperty("user.name"))) {
        Files.setOwner(dir, principal(user));
      }
      return dir;
    } catch (IOException e) {
      throw new AssertionError("cannot create a directory for user " + user, e);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free loopback port", e);
    }
  }

  /** Polls until 127.0.0.1:{@code port} accepts a TCP connection; false at the deadline. */
  static boolean awaitPort(int port, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    for (int polls = 0; polls < 10_000 && !deadline.expired(); polls++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return true;
      } catch (IOException e) {
        deadline.pause(50);
      }
    }
    return false;
  }

  static String tail(String text, int chars) {
    return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
  }

  static String tailOf(Path file, int chars) {
    try {
      return Files.exists(file) ? tail(Files.readString(file, StandardCharsets.ISO_8859_1), chars) : "(no " + file + ")";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp dir left behind is harmless.
    }
  }

  private static UserPrincipal principal(String user) throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
  }
}
