package connguard.examples;

import static connguard.examples.Demo.oneLine;
import static connguard.examples.Demo.pause;
import static connguard.examples.Demo.say;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An H2 TCP server in a child JVM (same java, same class path), so it can be killed hard and
 * started again on the same port while the job holds its connection.
 */
final class EmbeddedH2 implements DemoDatabase {
  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration SERVER_STOP_TIMEOUT = Duration.ofSeconds(10);
  // Longer than the demos' validateIdleAfter=250ms, as a real app's pause would be: the
  // restart alone takes ~100 ms, too short to count as idle.
  private static final Duration EMBEDDED_IDLE = Duration.ofSeconds(1);

  private final Path baseDir;
  private final Path serverLog;
  private final int port;
  private final String url;
  private volatile Process server;
  private boolean closed;

  private EmbeddedH2(Path baseDir, int port) {
    this.baseDir = baseDir;
    this.serverLog = baseDir.resolve("h2-server.log");
    this.port = port;
    this.url = "jdbc:h2:tcp://127.0.0.1:" + port + "/demo";
  }

  static EmbeddedH2 start() throws IOException, SQLException {
    EmbeddedH2 h2 = new EmbeddedH2(Files.createTempDirectory("connguard-demo-"), freePort());
    // Also on Ctrl-C or kill, when main's finally does not run: no server may outlive the demo.
    Runtime.getRuntime().addShutdownHook(new Thread(h2::close, "connguard-demo-h2-stop"));
    try {
      h2.startServer();
      h2.makeCommitsDurable();
    } catch (IOException | SQLException | RuntimeException e) {
      h2.close();
      throw e;
    }
    say("database: H2 TCP server in a child JVM (pid " + h2.server.pid() + "), " + h2.url);
    return h2;
  }

  /** For a pool or a Spring DataSource: jdbc:h2:tcp://127.0.0.1:PORT/demo. */
  @Override
  public String url() {
    return url;
  }

  @Override
  public String user() {
    return null;
  }

  @Override
  public String password() {
    return null;
  }

  @Override
  public Duration faultTime() {
    return SERVER_STOP_TIMEOUT.plus(SERVER_START_TIMEOUT).plus(EMBEDDED_IDLE);
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  public void closeSessionsDuringIdle() throws IOException {
    long idleStartNanos = System.nanoTime();
    say("fault: database restart while the app is idle ("
        + EMBEDDED_IDLE.toMillis() + " ms)");
    long oldPid = server.pid();
    kill();
    say("fault: killed the H2 server (pid " + oldPid + ", destroyForcibly);"
        + " the app's sockets are dead");
    long startNanos = System.nanoTime();
    startServer();
    say(String.format("fault: H2 server restarted on port %d (pid %d) in %d ms;"
            + " the app's connections were not told",
        port, server.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
    long idleLeftNanos = EMBEDDED_IDLE.toNanos() - (System.nanoTime() - idleStartNanos);
    if (idleLeftNanos > 0) {
      pause(Duration.ofNanos(idleLeftNanos));
    }
  }

  private void startServer() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java,
        "-cp", System.getProperty("java.class.path"),
        "org.h2.tools.Server", "-tcp", "-tcpPort", Integer.toString(port),
        "-ifNotExists", "-baseDir", baseDir.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(serverLog.toFile()));
    // The server is the database, not the app: an agent set for the app must not load into it.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    // Same lock as close(): once the shutdown hook has run, no new server may start.
    synchronized (this) {
      if (closed) {
        throw new IOException("demo is stopping; not starting the H2 server again");
      }
      server = builder.start();
    }
    awaitPort();
  }

  /** Polls until the server accepts; the old one is dead, so whoever accepts is the new one. */
  private void awaitPort() throws IOException {
    long deadline = System.nanoTime() + SERVER_START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!server.isAlive()) {
        throw new IOException(
            "H2 server exited with code " + server.exitValue() + ": " + logTail());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        pause(Duration.ofMillis(50));
      }
    }
    throw new IOException("H2 server did not accept on port " + port + " within "
        + SERVER_START_TIMEOUT.toSeconds() + " s: " + logTail());
  }

  // H2 flushes commits to disk up to 500 ms late (WRITE_DELAY), so a hard kill right after
  // phase 1 would lose its rows, even the table. A real database server commits durably;
  // make this one do so too. The setting is stored in the database and survives restarts.
  private void makeCommitsDurable() throws SQLException {
    try (Connection setup = connect(); Statement st = setup.createStatement()) {
      st.execute("SET WRITE_DELAY 0");
    }
  }

  /** Hard stop, bounded wait. */
  private void kill() {
    Process p = server;
    if (p == null) {
      return;
    }
    // WRITE_DELAY 0 is not enough for DDL in H2's store: flush everything so the restarted
    // server holds what was committed, as a real database server would.
    try (Connection flush = connect(); Statement st = flush.createStatement()) {
      st.execute("CHECKPOINT SYNC");
    } catch (SQLException e) {
      say("fault: could not flush the database before the kill: " + e.getMessage());
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(SERVER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("H2 server pid " + p.pid() + " still alive after "
            + SERVER_STOP_TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      kill();
    } catch (RuntimeException e) {
      say("demo: " + e.getMessage());
    }
    deleteRecursively(baseDir);
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(serverLog, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return oneLine(String.join(" | ", tail));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      say("demo: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
