package connguard.it.servers;

import connguard.it.harness.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl from /usr/lib/postgresql/N/bin, run as
 * user postgres) on a free loopback port with trust auth, database {@code test} and role
 * {@code root}: tests may stop, crash and restart it, which they must never do to the machine's
 * shared server. Restarts keep the port. {@link #close} stops it and deletes its directory.
 */
public final class PrivatePostgres implements AutoCloseable {
  static final String RUN_AS = "postgres";
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Path bin;
  private final Path dir;
  private final int port;
  private final PgAdmin admin;
  private final Thread reaper = new Thread(this::close, "private-postgres-reaper");
  private volatile boolean running;

  private PrivatePostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.admin = new PgAdmin(port);
    // pg_ctl detaches the server from us: without this a killed test JVM would leave it running.
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Why no private PostgreSQL can run here, or null. */
  static String unavailableReason() {
    if (binDir() == null) {
      return "no /usr/lib/postgresql/*/bin/initdb (Debian package postgresql)";
    }
    return ServerCommand.runAsProblem(RUN_AS);
  }

  /** initdb, start, create role root and database test. Skips (or fails in CI) if it cannot run. */
  public static PrivatePostgres start() {
    String problem = unavailableReason();
    if (problem != null) {
      Databases.missingPrivateServer("private PostgreSQL", problem);
    }
    Path dir = ServerCommand.directoryOwnedBy(RUN_AS, "connguard-pg-");
    PrivatePostgres pg = new PrivatePostgres(binDir(), dir, ServerCommand.freePort());
    try {
      ServerCommand.run(ServerCommand.as(RUN_AS, List.of(pg.tool("initdb"), "-D", pg.data(),
          "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")), TOOL_TIMEOUT);
      pg.begin();
      try (PgAdmin bootstrap = new PgAdmin(pg.port, "postgres")) {
        bootstrap.exec("create role root superuser login");
        bootstrap.exec("create database test");
      }
      return pg;
    } catch (RuntimeException | Error e) {
      pg.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** The admin view of this server (database test); reconnects by itself after a restart. */
  public PgAdmin admin() {
    return admin;
  }

  /** pg_ctl stop: FAST ends sessions politely; IMMEDIATE is a crash (recovery on the next start). */
  synchronized void stop(StopMode mode) {
    if (!running) {
      return;
    }
    ServerCommand.run(ServerCommand.as(RUN_AS, List.of(tool("pg_ctl"), "-D", data(), "-m",
        mode == StopMode.FAST ? "fast" : "immediate", "-w", "-t", "30", "stop")), TOOL_TIMEOUT);
    running = false;
  }

  /** Starts it again on the same port; returns once it accepts connections. */
  synchronized void begin() {
    // fsync off: a crash here is a process crash, the OS keeps the data; it saves seconds.
    // wal_keep_size: a standby whose stream broke for a moment finds the WAL it needs again
    // (every pg_basebackup switches to a new 16 MB segment, and there is no replication slot).
    String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
        + " -c max_connections=60 -c shared_buffers=16MB -c wal_keep_size=256MB";
    ServerCommand.run(ServerCommand.as(RUN_AS, List.of(tool("pg_ctl"), "-D", data(), "-l",
        dir.resolve("server.log").toString(), "-o", options, "-w", "-t", "60", "start")),
        TOOL_TIMEOUT);
    running = true;
  }

  /**
   * A hot standby of this server, streaming from it (pg_basebackup -R), on a free port of its
   * own; returns once it accepts connections. Close it like any private server. A fast checkpoint:
   * the default spread one makes pg_basebackup wait minutes on an idle server.
   */
  public PrivatePostgres startStandby() {
    Path standbyDir = ServerCommand.directoryOwnedBy(RUN_AS, "connguard-pg-standby-");
    PrivatePostgres standby = new PrivatePostgres(bin, standbyDir, ServerCommand.freePort());
    try {
      ServerCommand.run(ServerCommand.as(RUN_AS, List.of(tool("pg_basebackup"), "-h", "127.0.0.1", "-p",
          String.valueOf(port), "-U", "postgres", "-D", standby.data(), "-R", "-X", "stream", "-c", "fast")), TOOL_TIMEOUT);
      standby.begin();
      return standby;
    } catch (RuntimeException | Error e) {
      standby.close();
      throw e;
    }
  }

  /** pg_ctl promote: this standby becomes a primary; returns once it takes writes. */
  public void promote() {
    ServerCommand.run(ServerCommand.as(RUN_AS, List.of(tool("pg_ctl"), "-D", data(), "-w", "-t", "60", "promote")),
        TOOL_TIMEOUT);
  }

  /** Waits until this standby has replayed everything {@code primary} had written when asked. */
  public void awaitReplayed(PrivatePostgres primary, Duration timeout) {
    long written = primary.admin().count("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint");
    Deadline deadline = Deadline.in(timeout);
    long replayed = -1;
    for (int polls = 0; polls < 100_000 && !deadline.expired(); polls++) {
      replayed = admin.count("select coalesce((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, -1)");
      if (replayed >= written) {
        return;
      }
      deadline.pause(50);
    }
    throw new AssertionError("the standby on port " + port + " replayed " + replayed + " of " + written
        + " bytes of WAL within " + timeout + "; log: " + logTail());
  }

  public void restart(StopMode mode) {
    stop(mode);
    begin();
  }

  /** The end of the server's log, for failure messages. */
  String logTail() {
    return ServerCommand.tailOf(dir.resolve("server.log"), 2000);
  }

  @Override
  public synchronized void close() {
    if (Thread.currentThread() != reaper) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs (or ran) anyway.
      }
    }
    admin.close();
    try {
      stop(StopMode.IMMEDIATE);
    } catch (AssertionError e) {
      System.err.println("private PostgreSQL on port " + port + " did not stop: " + e.getMessage());
    } finally {
      ServerCommand.delete(dir);
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  private String tool(String name) {
    return bin.resolve(name).toString();
  }

  /** The newest installed major version's bin directory, or null. */
  private static Path binDir() {
    Path root = Paths.get("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    List<Path> bins = new ArrayList<>();
    try (Stream<Path> versions = Files.list(root)) {
      versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .forEach(bins::add);
    } catch (java.io.IOException e) {
      return null;
    }
    bins.sort((a, b) -> Integer.compare(major(b), major(a)));
    return bins.isEmpty() ? null : bins.get(0);
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
