package connguard.it.servers;

import static org.junit.jupiter.api.Assertions.fail;

import connguard.it.harness.CapturedText;
import connguard.it.harness.ChildJvm;
import connguard.it.harness.Deadline;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PgBouncer of our own in front of the PostgreSQL of {@link PgAdmin}: a child process (not
 * daemonized, not the system service) on a free loopback port, with its ini file in a fresh
 * temporary directory. A test can kill it hard and start it again on the same port, and run
 * console commands ({@code KILL test}, {@code SHOW CLIENTS}) through {@link #admin}. Get one from
 * {@link Databases#pgbouncer}.
 *
 * <p>Clients log in as {@value #USER} with trust auth; PgBouncer logs in to PostgreSQL as the
 * same user. The same user is admin of the console, so the test needs no second account.
 */
public final class PgBouncer implements AutoCloseable {
  public static final String USER = "root";
  /** The one pooled database: PostgreSQL's {@code test}, under the same name. */
  public static final String DATABASE = "test";
  static final String ADMIN_APP = "connguard-bouncer-admin";
  /** Where Debian's package puts the binary; sbin is not on every PATH. */
  private static final List<String> SEARCH_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin");
  /** PgBouncer refuses to run as root; as root we run it as this (Debian's postgres user). */
  private static final String RUN_AS_WHEN_ROOT = "postgres";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

  /** PgBouncer's pool_mode; statement pooling is left out (pgjdbc's transactions break there). */
  public enum PoolMode {
    SESSION, TRANSACTION;

    String ini() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Path binary;
  private final PoolMode mode;
  private final int port;
  private final Path dir;
  private Process server;
  private CapturedText serverStderr;
  private final StringBuilder earlierLogs = new StringBuilder();

  private PgBouncer(Path binary, PoolMode mode, int port, Path dir) {
    this.binary = binary;
    this.mode = mode;
    this.port = port;
    this.dir = dir;
  }

  /** The pgbouncer executable on PATH or in the usual sbin directories; null if there is none. */
  static Path binary() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(SEARCH_DIRS);
    for (String d : dirs) {
      if (d.isBlank()) {
        continue;
      }
      Path candidate = Paths.get(d, "pgbouncer");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Writes the ini and starts PgBouncer. {@code settings} are extra lines of the
   * {@code [pgbouncer]} section, such as {@code "client_idle_timeout = 1"}; a later line wins.
   */
  static PgBouncer start(Path binary, PoolMode mode, String... settings) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("connguard-pgbouncer-");
      PgBouncer bouncer = new PgBouncer(binary, mode, freePort(), dir);
      bouncer.writeConfig(List.of(settings));
      bouncer.launch();
      return bouncer;
    } catch (IOException e) {
      delete(dir);
      throw new IllegalStateException("cannot prepare PgBouncer in " + dir, e);
    } catch (RuntimeException | AssertionError e) {
      delete(dir);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public PoolMode mode() {
    return mode;
  }

  /**
   * JDBC URL for the child: user root, database test, this application_name. In transaction
   * pooling, prepareThreshold=0: PgBouncer 1.18 hands each transaction any server, where pgjdbc's
   * named server-side statements of an earlier transaction do not exist.
   */
  public String url(String applicationName) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER
        + "&ApplicationName=" + URLEncoder.encode(applicationName, StandardCharsets.UTF_8)
        + (mode == PoolMode.TRANSACTION ? "&prepareThreshold=0" : "");
  }

  /**
   * Runs one console command ({@code SHOW CLIENTS}, {@code KILL test}, {@code RESUME test},
   * {@code RECONNECT test}) on a fresh console session and returns its rows, column name to value;
   * an empty list for commands without rows. A fresh session each time, because a test may have
   * set client_idle_timeout, which closes idle console sessions too.
   *
   * <p>Not through pgjdbc: the console reports server_version "1.18.0/bouncer", so pgjdbc 42.7
   * takes it for a pre-9.0 server and runs {@code SET extra_float_digits = 2} after login, which
   * the console refuses ("SET failed"); assumeMinServerVersion does not stop that. The console
   * speaks the simple query protocol, which {@link Console} speaks too.
   */
  public List<Map<String, String>> admin(String command) {
    try (Console console = Console.open(port, USER, ADMIN_APP)) {
      return console.query(command);
    } catch (IOException e) {
      throw new IllegalStateException("PgBouncer console command failed: " + command + ": " + e
          + "\n  pgbouncer log tail:\n" + log(2000), e);
    }
  }

  /**
   * Client connections to database test (SHOW CLIENTS), console sessions not counted. Every test
   * starts its own PgBouncer, so they are all the app's. Not filtered by application_name: pgjdbc
   * sets it with a SET after login, so a client waiting for its login has none yet, and in
   * transaction pooling PgBouncer learns it only if the server reports a change.
   */
  public int clients() {
    return clientsOfTest().size();
  }

  /** Polls {@link #clients} until it equals {@code expected}. */
  public void awaitClients(int expected, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    List<Map<String, String>> seen = List.of();
    for (int polls = 0; polls < 100_000; polls++) {
      seen = clientsOfTest();
      if (seen.size() == expected || deadline.expired()) {
        break;
      }
      deadline.pause(50);
    }
    if (seen.size() != expected) {
      fail("expected " + expected + " PgBouncer clients of database " + DATABASE + " within "
          + timeout + " but saw " + seen.size() + ": " + seen);
    }
  }

  /** Server connections of database test (SHOW SERVERS), whatever their state. */
  public int servers() {
    int n = 0;
    for (Map<String, String> row : admin("SHOW SERVERS")) {
      n += DATABASE.equals(row.get("database")) ? 1 : 0;
    }
    return n;
  }

  /** Polls {@link #servers} until it equals {@code expected}. */
  public void awaitServers(int expected, Duration timeout) {
    Deadline deadline = Deadline.in(timeout);
    int seen = -1;
    for (int polls = 0; polls < 100_000; polls++) {
      seen = servers();
      if (seen == expected || deadline.expired()) {
        break;
      }
      deadline.pause(50);
    }
    if (seen != expected) {
      fail("expected " + expected + " PgBouncer server connections within " + timeout
          + " but saw " + seen + ": " + admin("SHOW SERVERS"));
    }
  }

  public boolean isRunning() {
    return server != null && server.isAlive();
  }

  /**
   * SIGKILL, like a crashed pooler host: the kernel closes every client and server socket, so
   * clients see their connections die and the backends behind them end. Waits for the exit.
   */
  public void kill() {
    if (server == null) {
      return;
    }
    server.destroyForcibly();
    awaitExit();
  }

  /** Kills PgBouncer hard and starts it again on the same port with the same ini. */
  public void restart() {
    kill();
    launch();
  }

  /** Kills PgBouncer (its backends end with it) and deletes its directory. */
  @Override
  public void close() {
    kill();
    delete(dir);
  }

  /** PgBouncer's log (its stderr) since it was first started, across restarts. */
  public String log() {
    synchronized (earlierLogs) {
      return earlierLogs + (serverStderr == null ? "" : serverStderr.text());
    }
  }

  String log(int tailChars) {
    String all = log();
    return all.length() <= tailChars ? all : "..." + all.substring(all.length() - tailChars);
  }

  private List<Map<String, String>> clientsOfTest() {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> row : admin("SHOW CLIENTS")) {
      if (DATABASE.equals(row.get("database"))) {
        out.add(row);
      }
    }
    return out;
  }

  private void writeConfig(List<String> settings) throws IOException {
    List<String> ini = new ArrayList<>(List.of(
        "[databases]",
        DATABASE + " = host=" + PgAdmin.HOST + " port=" + PgAdmin.PORT + " dbname=test",
        "",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        // No unix socket: it would collide with PostgreSQL's or the system PgBouncer's.
        "unix_socket_dir =",
        "auth_type = trust",
        // trust still wants the user listed in auth_file.
        "auth_file = " + dir.resolve("userlist.txt"),
        "admin_users = " + USER,
        "pool_mode = " + mode.ini(),
        // pgjdbc sends these in its startup packet; PgBouncer refuses unknown ones.
        "ignore_startup_parameters = extra_float_digits,options",
        // After a failed server login (e.g. while KILL had paused the database) PgBouncer waits
        // this long before the next attempt: 15 s by default, longer than a test.
        "server_login_retry = 0.2",
        "max_client_conn = 50",
        "default_pool_size = 10",
        // Log to stderr, which we capture; no pid file, no daemon.
        "logfile =",
        "pidfile =",
        "log_connections = 1",
        "log_disconnections = 1"));
    ini.addAll(settings);
    Files.write(dir.resolve("pgbouncer.ini"), ini, StandardCharsets.UTF_8);
    Files.write(dir.resolve("userlist.txt"),
        List.of("\"" + USER + "\" \"\"", "\"postgres\" \"\""), StandardCharsets.UTF_8);
    // PgBouncer runs as another user when we are root: it must be able to read both files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("pgbouncer.ini"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir.resolve("userlist.txt"), PosixFilePermissions.fromString("rw-r--r--"));
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (isRoot()) {
      command.add("-u");
      command.add(RUN_AS_WHEN_ROOT);
    }
    command.add(dir.resolve("pgbouncer.ini").toString());
    return command;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Fails with a clear message when we are root and the user to run PgBouncer as is missing. */
  static String runAsProblem() {
    if (!isRoot()) {
      return null;
    }
    try {
      FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS_WHEN_ROOT);
      return null;
    } catch (UserPrincipalNotFoundException e) {
      return "PgBouncer refuses to run as root and there is no user " + RUN_AS_WHEN_ROOT
          + " to run it as (the Debian package postgresql creates it)";
    } catch (IOException e) {
      return "cannot look up user " + RUN_AS_WHEN_ROOT + ": " + e;
    }
  }

  /**
   * Starts PgBouncer and waits until the port accepts. Retries a few times: right after a kill
   * the port can take a moment to become bindable again.
   */
  private void launch() {
    Deadline deadline = Deadline.in(START_TIMEOUT);
    List<String> failures = new ArrayList<>();
    for (int attempt = 1; attempt <= 10 && !deadline.expired(); attempt++) {
      Process p = ChildJvm.launch(command(), Map.of());
      CapturedText stderr = CapturedText.of(p.getErrorStream(), "pgbouncer-" + p.pid() + "-stderr");
      CapturedText.of(p.getInputStream(), "pgbouncer-" + p.pid() + "-stdout");
      if (acceptsConnections(p, deadline)) {
        server = p;
        synchronized (earlierLogs) {
          serverStderr = stderr;
        }
        return;
      }
      String what = p.isAlive() ? "port closed" : "exited";
      p.destroyForcibly();
      waitFor(p);
      stderr.awaitEnd(2000);
      failures.add("attempt " + attempt + ": " + what + "; stderr: " + stderr.tail(1000));
      deadline.pause(200);
    }
    fail("PgBouncer did not start on port " + port + " within " + START_TIMEOUT + " ("
        + String.join(" ", command()) + "):\n" + String.join("\n", failures));
  }

  private boolean acceptsConnections(Process p, Deadline deadline) {
    for (int polls = 0; polls < 1000 && !deadline.expired() && p.isAlive(); polls++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      } catch (IOException e) {
        deadline.pause(50);
      }
    }
    return false;
  }

  private void awaitExit() {
    if (!waitFor(server)) {
      fail("PgBouncer pid " + server.pid() + " did not exit within " + EXIT_TIMEOUT);
    }
    serverStderr.awaitEnd(2000);
    synchronized (earlierLogs) {
      earlierLogs.append(serverStderr.text()).append("[pgbouncer pid ").append(server.pid())
          .append(" killed]\n");
      serverStderr = null;
    }
    server = null;
  }

  private static boolean waitFor(Process p) {
    try {
      return p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for PgBouncer to exit", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp dir left behind is harmless.
    }
  }

  /**
   * A PgBouncer console session over the PostgreSQL wire protocol (v3, simple query, trust auth
   * only): just enough for SHOW and the control commands. Every read is bounded by a socket
   * timeout.
   */
  static final class Console implements AutoCloseable {
    private static final int PROTOCOL_3_0 = 196608;
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;
    private static final int READ_TIMEOUT_MILLIS = 15000;
    // Console answers are small; a bound keeps a garbled length from allocating gigabytes.
    private static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private Console(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    static Console open(int port, String user, String applicationName) throws IOException {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        Console console = new Console(socket);
        console.startup(user, applicationName);
        return console;
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }

    List<Map<String, String>> query(String sql) throws IOException {
      byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
      out.writeByte('Q');
      out.writeInt(4 + text.length);
      out.write(text);
      out.flush();
      List<String> columns = new ArrayList<>();
      List<Map<String, String>> rows = new ArrayList<>();
      String error = null;
      for (int messages = 0; messages < 1_000_000; messages++) {
        char type = (char) in.readUnsignedByte();
        ByteBuffer body = ByteBuffer.wrap(body());
        switch (type) {
          case 'T':
            columns.clear();
            for (int i = 0, n = body.getShort(); i < n; i++) {
              columns.add(cString(body));
              body.position(body.position() + 18);   // table oid, attnum, type oid, len, mod, format
            }
            break;
          case 'D': {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0, n = body.getShort(); i < n; i++) {
              int length = body.getInt();
              String value = null;
              if (length >= 0) {
                value = new String(body.array(), body.position(), length, StandardCharsets.UTF_8);
                body.position(body.position() + length);
              }
              row.put(i < columns.size() ? columns.get(i) : "column" + (i + 1), value);
            }
            rows.add(row);
            break;
          }
          case 'E':
            error = errorText(body);
            break;
          case 'Z':
            if (error != null) {
              throw new IOException("console said: " + error);
            }
            return rows;
          default:
            break;                                   // C, I, N, S: nothing we need
        }
      }
      throw new IOException("no end of the answer to " + sql);
    }

    private void startup(String user, String applicationName) throws IOException {
      ByteArrayOutputStream params = new ByteArrayOutputStream();
      for (String s : List.of("user", user, "database", "pgbouncer", "application_name", applicationName)) {
        params.write((s + "\0").getBytes(StandardCharsets.UTF_8));
      }
      params.write(0);
      out.writeInt(8 + params.size());
      out.writeInt(PROTOCOL_3_0);
      params.writeTo(out);
      out.flush();
      for (int messages = 0; messages < 10_000; messages++) {
        char type = (char) in.readUnsignedByte();
        ByteBuffer body = ByteBuffer.wrap(body());
        if (type == 'E') {
          throw new IOException("console refused the login: " + errorText(body));
        }
        if (type == 'R' && body.getInt() != 0) {
          throw new IOException("console wants a password; the ini says auth_type = trust");
        }
        if (type == 'Z') {
          return;
        }
      }
      throw new IOException("console login did not end");
    }

    private byte[] body() throws IOException {
      int length = in.readInt() - 4;
      if (length < 0 || length > MAX_MESSAGE_BYTES) {
        throw new IOException("garbled message length " + length);
      }
      byte[] body = new byte[length];
      in.readFully(body);
      return body;
    }

    /** Severity, SQLState and message of an ErrorResponse. */
    private static String errorText(ByteBuffer body) {
      Map<Character, String> fields = new LinkedHashMap<>();
      for (int i = 0; i < 100 && body.hasRemaining(); i++) {
        char code = (char) body.get();
        if (code == 0) {
          break;
        }
        fields.put(code, cString(body));
      }
      return fields.get('S') + " " + fields.get('C') + " " + fields.get('M');
    }

    private static String cString(ByteBuffer body) {
      int start = body.position();
      while (body.get() != 0) {
        // up to and past the terminating zero
      }
      return new String(body.array(), start, body.position() - start - 1, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      try {
        out.writeByte('X');
        out.writeInt(4);
        out.flush();
      } catch (IOException e) {
        // Going away anyway.
      }
      socket.close();
    }
  }
}
