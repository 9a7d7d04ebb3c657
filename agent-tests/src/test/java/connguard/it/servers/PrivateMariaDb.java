package connguard.it.servers;

import connguard.it.harness.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A MariaDB server of the test's own (mariadb-install-db + mariadbd --datadir, run as user mysql)
 * on a free loopback port, root without password, database {@code test}: tests may stop, crash
 * and restart it, which they must never do to the machine's shared server. Restarts keep the
 * port. {@link #close} kills it and deletes its directory.
 *
 * <p>A replication pair: {@link #startPrimary} (binary log, GTID, a replication user) and its
 * {@link #startReplica} (read-only, replicating from it); a switchover is {@link #demote} on the
 * primary, {@link #awaitReplicated} and {@link #promote} on the replica.
 */
public final class PrivateMariaDb implements AutoCloseable {
  static final String RUN_AS = "mysql";
  private static final Path INSTALL_DB = Paths.get("/usr/bin/mariadb-install-db");
  private static final Path SERVER = Paths.get("/usr/sbin/mariadbd");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  /** The replication user a replica connects as: no password, loopback only, no other privilege. */
  static final String REPLICATION_USER = "repl";
  // server_id must differ between a primary and its replicas; unique in this JVM is enough.
  private static final AtomicInteger SERVER_IDS = new AtomicInteger();

  private final Path dir;
  private final int port;
  private final MariaDbAdmin admin;
  // Root without a default database: a replica has no database test until it has replicated it.
  private final MariaDbAdmin root;
  private final int serverId;      // 0: no binary log, no replication
  private volatile boolean readOnlyAtStart;
  private Process server;

  private PrivateMariaDb(Path dir, int port, int serverId, boolean readOnlyAtStart) {
    this.dir = dir;
    this.port = port;
    this.admin = new MariaDbAdmin(port, "test");
    this.root = new MariaDbAdmin(port, "");
    this.serverId = serverId;
    this.readOnlyAtStart = readOnlyAtStart;
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
    PrivateMariaDb db = install("connguard-mariadb-", 0, false);
    try {
      db.root.exec("create database test");
      return db;
    } catch (RuntimeException | Error e) {
      db.close();
      throw e;
    }
  }

  /**
   * A primary for {@link #startReplica}: binary log on (row format; MariaDB numbers every
   * transaction with a GTID), a server id of its own, database test and the replication user,
   * both in the binary log, so a replica gets them too. Users made here before a replica
   * starts are the replica's as well, as on a real pair.
   */
  public static PrivateMariaDb startPrimary() {
    PrivateMariaDb db = install("connguard-mariadb-primary-", SERVER_IDS.incrementAndGet(), false);
    try {
      db.root.exec("create database test");
      db.root.exec("create user '" + REPLICATION_USER + "'@'" + MariaDbAdmin.HOST + "'");
      db.root.exec("grant replication slave on *.* to '" + REPLICATION_USER + "'@'" + MariaDbAdmin.HOST + "'");
      return db;
    } catch (RuntimeException | Error e) {
      db.close();
      throw e;
    }
  }

  /**
   * A replica of this primary on a free port of its own, started read-only (--read-only binds
   * every user without SUPER/READ_ONLY ADMIN; replication itself is not bound), replicating by
   * GTID from the start of the primary's binary log; returns once it has replayed everything the
   * primary had written. Close it like any private server.
   */
  public PrivateMariaDb startReplica() {
    if (serverId == 0) {
      throw new IllegalStateException("a replica needs a primary with a binary log: PrivateMariaDb.startPrimary()");
    }
    PrivateMariaDb replica = install("connguard-mariadb-replica-", SERVER_IDS.incrementAndGet(), true);
    try {
      // connect_retry 1 s: after a restart of the primary the replica is back within a second.
      replica.root.exec("change master to master_host='" + MariaDbAdmin.HOST + "', master_port=" + port
          + ", master_user='" + REPLICATION_USER + "', master_use_gtid=slave_pos, master_connect_retry=1");
      replica.root.exec("start slave");
      replica.awaitReplicated(this, START_TIMEOUT);
      return replica;
    } catch (RuntimeException | Error e) {
      replica.close();
      throw e;
    }
  }

  /**
   * Waits until this replica has applied every transaction {@code primary} had written when
   * asked (its gtid_binlog_pos), with MASTER_GTID_WAIT, which waits on the server, bounded.
   */
  public void awaitReplicated(PrivateMariaDb primary, Duration timeout) {
    String written = primary.root.text("select @@global.gtid_binlog_pos");
    // Below the admin connection's 60 s socket timeout, so the server's answer is the bound.
    long seconds = Math.max(1, Math.min(timeout.getSeconds(), 50));
    long answer = root.count("select master_gtid_wait('" + written + "', " + seconds + ")");
    if (answer != 0) {
      throw new AssertionError("the replica on port " + port + " did not apply " + written + " within " + seconds
          + " s (at " + root.text("select @@global.gtid_slave_pos") + "): " + root.replicaStatus() + "; log: " + logTail());
    }
  }

  /**
   * Promotes this replica, as a switchover does once it has applied everything
   * ({@link #awaitReplicated} first, if the old primary is still there): replication stopped and
   * forgotten, read_only off. Returns once the server takes writes.
   */
  public void promote() {
    root.exec("stop slave");
    root.exec("reset slave all");
    root.exec("set global read_only = 0");
    readOnlyAtStart = false;
  }

  /**
   * Demotes this primary, as the first step of a switchover: read_only on, so the app's sessions
   * there, open or new, get their writes refused (1290) from now on.
   */
  public void demote() {
    root.exec("set global read_only = 1");
  }

  /** Is read_only on now? */
  public boolean isReadOnly() {
    return root.count("select @@global.read_only") == 1;
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
    List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults", "--datadir=" + data(),
        "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"),
        "--pid-file=" + dir.resolve("mariadb.pid"), "--log-error=" + dir.resolve("server.log"),
        "--tmpdir=" + dir, "--user=" + RUN_AS, "--innodb-buffer-pool-size=32M",
        // 2: the log reaches the OS at every commit, so a process crash loses nothing.
        "--innodb-flush-log-at-trx-commit=2", "--max-connections=60"));
    if (serverId == 0) {
      command.add("--skip-log-bin");
    } else {
      // Log and relay log named here, not after the host name, in the data directory. Every
      // server of a pair logs, so a promoted replica is a primary others could follow.
      command.addAll(List.of("--server-id=" + serverId, "--log-bin=mariadb-bin", "--binlog-format=ROW",
          "--relay-log=relay-bin"));
    }
    if (readOnlyAtStart) {
      command.add("--read-only");
    }
    Process p = ChildJvm.launch(command, Map.of(), dir.resolve("stdout.txt"), dir.resolve("stderr.txt"));
    server = p;
    if (!ServerCommand.awaitPort(port, START_TIMEOUT) || !p.isAlive()) {
      stop(StopMode.IMMEDIATE);
      throw new AssertionError("private MariaDB did not start on port " + port + "; log: " + logTail());
    }
  }

  private static PrivateMariaDb install(String prefix, int serverId, boolean readOnly) {
    String problem = unavailableReason();
    if (problem != null) {
      Databases.missingPrivateServer("private MariaDB", problem);
    }
    Path dir = ServerCommand.directoryOwnedBy(RUN_AS, prefix);
    PrivateMariaDb db = new PrivateMariaDb(dir, ServerCommand.freePort(), serverId, readOnly);
    try {
      // Its own tmpdir: two installs at once (tests of another build on the same machine) can
      // collide on /tmp's temporary table names ("Error on delete of '/tmp/#sql-temptable-...'").
      ServerCommand.run(List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + db.data(),
          "--user=" + RUN_AS, "--auth-root-authentication-method=normal", "--skip-test-db", "--tmpdir=" + dir),
          TOOL_TIMEOUT);
      db.begin();
      return db;
    } catch (RuntimeException | Error e) {
      db.close();
      throw e;
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
    root.close();
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
