package connguard.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A database server of the benchmark's own, to fail over, which it must never do to the
 * machine's shared servers: a data directory in /tmp owned by the server's system user, a free
 * loopback port, every tool run as that user (through runuser when we are root) and bounded in
 * time. {@link #close} kills it and deletes the directory; a shutdown hook closes what is still
 * open when the JVM ends. (agent-tests has its own for the tests, PrivatePostgres and
 * PrivateMariaDb: the bench module depends on no test code.)
 */
abstract class ScratchServer implements AutoCloseable {
  private static final long TOOL_SECONDS = 90;
  private static final List<ScratchServer> OPEN = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ScratchServer::closeAll, "scratch-server-reaper"));
  }

  final Path dir;
  final int port;
  private final String user;

  ScratchServer(String user, String prefix, int port) throws IOException {
    this.user = user;
    this.port = port;
    this.dir = Files.createTempDirectory(prefix);
    if (!user.equals(System.getProperty("user.name"))) {
      Files.setOwner(dir, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user));
    }
    synchronized (OPEN) {
      OPEN.add(this);
    }
  }

  /** Why servers of this user cannot run here (not root nor that user, no such user), or null. */
  static String cannotRunAs(String user) {
    if (user.equals(System.getProperty("user.name"))) {
      return null;
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "a private server runs as user " + user + ": run as root or as " + user;
    }
    try {
      FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
      return null;
    } catch (IOException e) {
      return "no system user " + user;
    }
  }

  /** Runs a tool as the server's user to its end; its output goes to tools.log in the directory. */
  final void tool(String... command) {
    List<String> line = new ArrayList<>();
    if (!user.equals(System.getProperty("user.name"))) {
      line.addAll(List.of("runuser", "-u", user, "--"));
    }
    line.addAll(Arrays.asList(command));
    File log = dir.resolve("tools.log").toFile();
    try {
      Process p = new ProcessBuilder(line).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
      if (!p.waitFor(TOOL_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("still running after " + TOOL_SECONDS + " s: " + String.join(" ", line));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", line) + "; see " + log);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", line), e);
    }
  }

  /** A root/superuser connection of the benchmark's own, to set the scene and check the result. */
  abstract Connection admin() throws SQLException;

  final void exec(String sql) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Ends the server process, no clean shutdown needed. */
  abstract void kill();

  @Override
  public final void close() {
    try {
      kill();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException leftBehind) {
        // A temp directory left behind is harmless.
      }
      synchronized (OPEN) {
        OPEN.remove(this);
      }
    }
  }

  private static void closeAll() {
    List<ScratchServer> open;
    synchronized (OPEN) {
      open = new ArrayList<>(OPEN);
    }
    for (ScratchServer server : open) {
      server.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Polls until the port accepts a TCP connection, at most {@code seconds}. */
  static boolean accepts(int port, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  /**
   * PostgreSQL from the newest /usr/lib/postgresql/N/bin, run as user postgres: a primary of its
   * own (initdb) or a streaming standby of another (pg_basebackup -R), trust authentication,
   * database {@code bench}. pg_ctl detaches the server from us: close() or the hook stops it.
   */
  static final class Postgres extends ScratchServer {
    private final Path bin;

    private Postgres(Path bin, int port) throws IOException {
      super("postgres", "connguard-bench-pg-", port);
      this.bin = bin;
    }

    static String unavailable() {
      return bin() == null ? "no /usr/lib/postgresql/*/bin/initdb" : cannotRunAs("postgres");
    }

    static Postgres primary(int port) throws IOException, SQLException {
      Postgres pg = new Postgres(bin(), port);
      try {
        pg.tool(pg.bin("initdb"), "-D", pg.data(), "-A", "trust", "-U", "postgres", "--no-sync");
        pg.begin();
        try (Connection c = DriverManager.getConnection(pg.url("postgres")); Statement s = c.createStatement()) {
          s.execute("create database bench");
        }
        return pg;
      } catch (SQLException | RuntimeException e) {
        pg.close();
        throw e;
      }
    }

    /** A hot standby of this server on {@code standbyPort}, streaming from it. */
    Postgres standby(int standbyPort) throws IOException {
      Postgres standby = new Postgres(bin, standbyPort);
      try {
        // -c fast: the default spread checkpoint makes pg_basebackup wait minutes on a quiet server.
        standby.tool(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
            "-D", standby.data(), "-R", "-X", "stream", "-c", "fast");
        standby.begin();
        return standby;
      } catch (RuntimeException e) {
        standby.close();
        throw e;
      }
    }

    private void begin() {
      // fsync off: nothing here must survive the machine; wal_keep_size: a standby whose stream
      // broke finds its WAL again (no replication slot).
      tool(bin("pg_ctl"), "-D", data(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
          "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB"
              + " -c max_connections=40 -c wal_keep_size=128MB", "start");
    }

    /** pg_ctl promote -w: returns once the server takes writes. */
    void promote() {
      tool(bin("pg_ctl"), "-D", data(), "-w", "-t", "60", "promote");
    }

    /** pg_ctl stop -m fast: sessions end, the standby gets all WAL before the server exits. */
    void stop() {
      tool(bin("pg_ctl"), "-D", data(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    @Override
    void kill() {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        try {
          tool(bin("pg_ctl"), "-D", data(), "-m", "immediate", "-w", "-t", "30", "stop");
        } catch (IllegalStateException stoppedAlready) {
          // Its pid file outlived it.
        }
      }
    }

    String url(String database) {
      return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres&connectTimeout=5";
    }

    @Override
    Connection admin() throws SQLException {
      return DriverManager.getConnection(url("bench"));
    }

    private String data() {
      return dir.resolve("data").toString();
    }

    private String bin(String tool) {
      return bin.resolve(tool).toString();
    }

    private static Path bin() {
      Path root = Paths.get("/usr/lib/postgresql");
      if (!Files.isDirectory(root)) {
        return null;
      }
      try (Stream<Path> versions = Files.list(root)) {
        return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
            .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
            .map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).orElse(null);
      } catch (IOException e) {
        return null;
      }
    }
  }

  /**
   * MariaDB (mariadb-install-db, then mariadbd as user mysql, a child of this JVM), root without
   * password on 127.0.0.1, database {@code bench}.
   */
  static final class MariaDb extends ScratchServer {
    private static final String INSTALL = "/usr/bin/mariadb-install-db";
    private static final String SERVER = "/usr/sbin/mariadbd";
    private Process server;

    private MariaDb(int port) throws IOException {
      super("mysql", "connguard-bench-mariadb-", port);
    }

    static String unavailable() {
      return !new File(INSTALL).canExecute() || !new File(SERVER).canExecute()
          ? "no " + INSTALL + " or " + SERVER : cannotRunAs("mysql");
    }

    static MariaDb start(int port) throws IOException, SQLException, InterruptedException {
      MariaDb db = new MariaDb(port);
      try {
        String data = db.dir.resolve("data").toString();
        db.tool(INSTALL, "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
            "--skip-test-db");
        // mariadbd drops to --user itself; it needs no runuser.
        db.server = new ProcessBuilder(SERVER, "--no-defaults", "--datadir=" + data, "--port=" + port,
            "--bind-address=127.0.0.1", "--socket=" + db.dir.resolve("mariadb.sock"), "--user=mysql",
            "--log-error=" + db.dir.resolve("server.log"), "--skip-log-bin", "--innodb-buffer-pool-size=32M")
            .redirectErrorStream(true).redirectOutput(db.dir.resolve("stdout.log").toFile()).start();
        if (!accepts(port, 60) || !db.server.isAlive()) {
          throw new IllegalStateException("mariadbd did not start on port " + port + "; see " + db.dir);
        }
        try (Connection c = DriverManager.getConnection(db.url("", "root")); Statement s = c.createStatement()) {
          s.execute("create database bench");
        }
        return db;
      } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
        db.close();
        throw e;
      }
    }

    String url(String database, String user) {
      return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=" + user + "&connectTimeout=5000";
    }

    @Override
    Connection admin() throws SQLException {
      return DriverManager.getConnection(url("bench", "root"));
    }

    @Override
    void kill() {
      if (server != null) {
        server.destroyForcibly();
        try {
          server.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
