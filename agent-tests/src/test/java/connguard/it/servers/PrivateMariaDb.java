package connguard.it.servers;

import connguard.it.harness.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of the test's own (mariadb-install-db + mariadbd --datadir, run as user mysql)
 * on a free loopback port, root without password, database {@code test}: tests may stop, crash
 * and restart it, which they must never do to the machine's shared server. Restarts keep the
 * port. {@link #close} kills it and deletes its directory.
 */
public final class PrivateMariaDb implements AutoCloseable {
  static final String RUN_AS = "mysql";
  private static final Path INSTALL_DB = Paths.get("/usr/bin/mariadb-install-db");
  private static final Path SERVER = Paths.get("/usr/sbin/mariadbd");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final MariaDbAdmin admin;
  private Process server;

  private PrivateMariaDb(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.admin = new MariaDbAdmin(port, "test");
  }

  /** Why no private MariaDB can run here, or null. */
  static String unavailableReason() {
    if (!Files.isExecutable(INSTALL_DB) || !Files.isExecutable(SERVER)) {
      return "no " + INSTALL_DB + " or " + SERVER + " (Debian package mariadb-server)";
    }
    return ServerCommand.runAsProblem(RUN_AS);
  }

  /** Installs, starts and creates database test. Skips (or fails in CI) if it cannot run. */
  public static PrivateMariaDb start() {
    String problem = unavailableReason();
    if (problem != null) {
      Databases.missingPrivateServer("private MariaDB", problem);
    }
    Path dir = ServerCommand.directoryOwnedBy(RUN_AS, "connguard-mariadb-");
    PrivateMariaDb db = new PrivateMariaDb(dir, ServerCommand.freePort());
    try {
      ServerCommand.run(List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + db.data(),
          "--user=" + RUN_AS, "--auth-root-authentication-method=normal", "--skip-test-db"),
          TOOL_TIMEOUT);
      db.begin();
      try (MariaDbAdmin bootstrap = new MariaDbAdmin(db.port, "")) {
        bootstrap.exec("create database test");
      }
      return db;
    } catch (RuntimeException | Error e) {
      db.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The admin view of this server (database test); reconnects by itself after a restart. */
  public MariaDbAdmin admin() {
    return admin;
  }

  /** FAST: SIGTERM, a clean shutdown; IMMEDIATE: SIGKILL, a crash (InnoDB recovers on start). */
  public void stop(StopMode mode) {
    if (server == null) {
      return;
    }
    if (mode == StopMode.FAST) {
      server.destroy();
    } else {
      server.destroyForcibly();
    }
    try {
      if (!server.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("private MariaDB did not stop within " + STOP_TIMEOUT + "; log: " + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping MariaDB", e);
    } finally {
      server = null;
    }
  }

  /** Starts it (again) on the same port; returns once it accepts connections. */
  void begin() {
    List<String> command = List.of(SERVER.toString(), "--no-defaults", "--datadir=" + data(),
        "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"),
        "--pid-file=" + dir.resolve("mariadb.pid"), "--log-error=" + dir.resolve("server.log"),
        "--user=" + RUN_AS, "--skip-log-bin", "--innodb-buffer-pool-size=32M",
        // 2: the log reaches the OS at every commit, so a process crash loses nothing.
        "--innodb-flush-log-at-trx-commit=2", "--max-connections=60");
    Process p = ChildJvm.launch(command, Map.of(), dir.resolve("stdout.txt"), dir.resolve("stderr.txt"));
    server = p;
    if (!ServerCommand.awaitPort(port, START_TIMEOUT) || !p.isAlive()) {
      stop(StopMode.IMMEDIATE);
      throw new AssertionError("private MariaDB did not start on port " + port + "; log: " + logTail());
    }
  }

  public void restart(StopMode mode) {
    stop(mode);
    begin();
  }

  String logTail() {
    return ServerCommand.tailOf(dir.resolve("server.log"), 2000);
  }

  @Override
  public void close() {
    admin.close();
    try {
      stop(StopMode.IMMEDIATE);
    } catch (AssertionError e) {
      System.err.println(e.getMessage());
    } finally {
      ServerCommand.delete(dir);
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }
}
