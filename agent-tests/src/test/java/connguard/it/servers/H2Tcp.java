package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.harness.CapturedText;
import connguard.it.harness.ChildJvm;
import connguard.it.harness.Deadline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An H2 TCP server in its own JVM, so a test can kill it hard (like a crashed database host)
 * and start it again on the same port with the same files.
 *
 * <p>Databases are created on first connect ({@code -ifNotExists}); the first user becomes
 * their admin, so children and {@link #admin} should all use {@value #USER} with an empty
 * password. H2 writes commits to disk with a short delay: rows committed just before
 * {@link #kill} may be gone after {@link #restart} unless a {@code checkpoint} ran after them.
 */
public final class H2Tcp implements AutoCloseable {
  public static final String USER = "sa";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final Path baseDir;
  private Process server;
  private CapturedText serverStderr;

  private H2Tcp(int port, Path baseDir) {
    this.port = port;
    this.baseDir = baseDir;
  }

  /** A server on a free loopback port with a fresh temporary base directory. */
  public static H2Tcp start() {
    try {
      H2Tcp h2 = new H2Tcp(freePort(), Files.createTempDirectory("connguard-h2-"));
      h2.launch();
      return h2;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the H2 server", e);
    }
  }

  public int port() {
    return port;
  }

  public String url(String database) {
    return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + database;
  }

  /** A plain connection from the test JVM, for invariants (row counts). Caller closes it. */
  public Connection admin(String database) throws SQLException {
    return DriverManager.getConnection(url(database), USER, "");
  }

  public boolean isRunning() {
    return server != null && server.isAlive();
  }

  /** SIGKILL, like a crashed host: clients see their sockets die. Waits for the exit. */
  public void kill() {
    if (server == null) {
      return;
    }
    server.destroyForcibly();
    awaitExit();
  }

  /** Starts again on the same port and base directory; kills the old server if still up. */
  public void restart() {
    kill();
    launch();
  }

  /** Stops the server gracefully (forcibly if it hangs). */
  public void stop() {
    if (server == null) {
      return;
    }
    try {
      server.getOutputStream().close();  // ServerMain stops on end of stdin
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!server.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        server.destroyForcibly();
      }
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    awaitExit();
  }

  /** Stops the server and deletes its files. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp dir left behind is harmless.
    }
  }

  public String serverStderr() {
    return serverStderr == null ? "" : serverStderr.text();
  }

  private void awaitExit() {
    try {
      if (!server.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("H2 server pid " + server.pid() + " did not exit within " + EXIT_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the H2 server to exit", e);
    }
    server = null;
  }

  /**
   * Starts the server JVM and waits until the port accepts. Retries a few times, because the
   * old server's port can take a moment to become bindable again after a kill.
   */
  private void launch() {
    Deadline deadline = Deadline.in(START_TIMEOUT);
    List<String> failures = new ArrayList<>();
    for (int attempt = 1; attempt <= 10 && !deadline.expired(); attempt++) {
      Process p = ChildJvm.launch(command(), Map.of());
      CapturedText stderr = CapturedText.of(p.getErrorStream(), "h2-" + p.pid() + "-stderr");
      String ready = awaitReady(p, deadline);
      if (ready != null && acceptsConnections(deadline)) {
        server = p;
        serverStderr = stderr;
        return;
      }
      p.destroyForcibly();
      stderr.awaitEnd(2000);
      failures.add("attempt " + attempt + ": " + (ready == null ? "no READY" : "port closed")
          + "; stderr: " + stderr.tail(1000));
      deadline.pause(200);
    }
    fail("H2 server did not start on port " + port + " within " + START_TIMEOUT + ":\n"
        + String.join("\n", failures));
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    // The server is scenery, not under test: it runs on the test JVM's own java.
    command.add(ChildJvm.javaExecutable(Path.of(System.getProperty("java.home"))).toString());
    command.addAll(ChildJvm.LIGHT_JVM_ARGS);
    command.add("-Dh2.bindAddress=127.0.0.1");  // loopback only
    command.add("-cp");
    command.add(ChildJvm.classPath());
    command.add(ServerMain.class.getName());
    command.addAll(List.of("-tcp", "-tcpPort", String.valueOf(port), "-ifNotExists",
        "-baseDir", baseDir.toString()));
    return command;
  }

  /** The READY line, or null if the child ended or the deadline passed first. */
  private static String awaitReady(Process p, Deadline deadline) {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line = out.readLine();
        lines.offer(line == null ? "" : line);
        // Keep draining so the server never blocks on a full pipe.
        for (int i = 0; i < 1_000_000 && out.readLine() != null; i++) {
          // discard
        }
      } catch (IOException e) {
        lines.offer("");
      }
    }, "h2-" + p.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String line = lines.poll(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
      return line != null && line.startsWith("READY") ? line : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private boolean acceptsConnections(Deadline deadline) {
    for (int polls = 0; polls < 1000 && !deadline.expired(); polls++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      } catch (IOException e) {
        deadline.pause(50);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Main class of the server JVM: serves until its stdin ends (the test JVM went away). */
  public static final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
      org.h2.tools.Server server = org.h2.tools.Server.createTcpServer(args).start();
      System.out.println("READY " + server.getPort());
      System.out.flush();
      // Bounded by the parent: stdin ends when the test JVM closes it or exits.
      while (System.in.read() >= 0) {
        // ignore input
      }
      server.stop();
      System.exit(0);
    }
  }
}
