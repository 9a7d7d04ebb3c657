package connguard.it.harness;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * A plain JDBC app for the child JVM, driven line by line from stdin. Each command gets exactly
 * one line on stdout: {@code OK <result>} or
 * {@code ERR <SQLState|-> <vendorCode> <ExceptionSimpleName> <message first line>}; {@code READY}
 * is printed once at start. Everything else, including whatever the agent prints, goes to stderr.
 *
 * <p>Objects (connections, statements) live in a map under names the test chooses. A closed
 * object stays in the map so {@code isclosed} can still ask it. The commands are listed in
 * {@link #USAGE}.
 */
public final class JdbcShell {
  static final String USAGE = "commands: connect <c> <url> [user [password]] | close <c|s>"
      + " | autocommit <c> true|false | commit <c> | rollback <c> | savepoint <c> [sp] | rollbackto <c> <sp> | release <c> <sp> | isolation <c> <int>"
      + " | abort <c> | abortafter <c> <ms> | getconnection <s>"
      + " | isolated <c> <jar> <driver> <url> | generated <c> <url> | loaderof <c|s>"
      + " | datasource <c> <class> <url> [user [password]] | hikari <p> <url> [size [maxLifetimeMs]] | hikarids <p> <class> <url> | borrow <c> <p>"
      + " | readonly <c> true|false | schema <c> <name> | isvalid <c> <secs> | isclosed <c|s>"
      + " | getautocommit <c> | getisolation <c> | getreadonly <c> | getschema <c>"
      + " | unwrap <c|s> <interface> | classof <c|s> | stmt <s> <c> | query <s|c> <sql>"
      + " | update <s|c> <sql> | execute <s|c> <sql> | prepare <s> <c> <sql>"
      + " | set <s> <index> int|long|string|null <value> | pquery <s> | pupdate <s>"
      + " | preparekeys <s> <c> <sql> | keys <s> | openquery <r> <s> | next <r>"
      + " | addbatch <s> [sql] | batch <s> | fetchsize <s> <n> | maxrows <s> <n>"
      + " | querytimeout <s> <secs> | getfetchsize <s> | getmaxrows <s> | getquerytimeout <s>"
      + " | fleet <prefix> <n> <url> | fleetquery <prefix> <n> <threads> <sql>"
      + " | stat <Name> | attr <Name> | mbeanup | sysprop <name> | jvmargs | sleep <ms> | jdkclasses | loadjdk <ms> | echo <text> | quit";

  public static final String STATS_MBEAN = "connguard:type=Stats";

  // The parent closes our stdin when it goes away, which ends the loop; the cap only stops a
  // runaway test from feeding us forever.
  private static final int MAX_COMMANDS = 1_000_000;

  private final Map<String, Object> objects = new LinkedHashMap<>();
  private final PrintStream answers;

  private JdbcShell(PrintStream answers) {
    this.answers = answers;
  }

  public static void main(String[] args) throws Exception {
    // Keep stdout for answers only: anything else that prints to System.out lands on stderr.
    PrintStream answers =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    JdbcShell shell = new JdbcShell(answers);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    shell.answer("READY");
    for (int i = 0; i < MAX_COMMANDS; i++) {
      String line = in.readLine();
      if (line == null) {
        break;
      }
      if (shell.run(line)) {
        break;
      }
    }
    shell.closeAll();
    answers.flush();
    System.exit(0);
  }

  /** Runs one command and answers it. Returns true when the shell should exit. */
  private boolean run(String line) {
    Words words = new Words(line);
    try {
      String command = words.next("command");
      if (command.equals("quit")) {
        closeAll();
        answer("OK bye");
        return true;
      }
      answer("OK " + execute(command, words));
    } catch (Throwable failure) {
      System.err.println("JdbcShell: " + line.strip() + " failed:");
      failure.printStackTrace(System.err);
      answer(describe(failure));
    }
    return false;
  }

  private String execute(String command, Words w) throws Exception {
    switch (command) {
      case "connect": {
        String name = w.next("name");
        String url = w.next("url");
        String user = w.optional();
        String password = w.optional();
        Connection c = user == null
            ? DriverManager.getConnection(url)
            : DriverManager.getConnection(url, user, password == null ? "" : password);
        objects.put(name, c);
        return "";
      }
      case "isolated": {
        // isolated <c> <driver jar> <Driver class> <url>: the driver in its own URLClassLoader
        // whose parent is the platform loader, as a servlet container's webapp loader is; the
        // connection is made through that Driver instance, not DriverManager.
        String name = w.next("name");
        java.net.URL jar = java.nio.file.Path.of(w.next("jar")).toUri().toURL();
        ClassLoader webapp = new java.net.URLClassLoader(new java.net.URL[] {jar}, ClassLoader.getPlatformClassLoader());
        java.sql.Driver driver = (java.sql.Driver) Class.forName(w.next("driver class"), true, webapp)
            .getDeclaredConstructor().newInstance();
        Connection c = driver.connect(w.next("url"), new java.util.Properties());
        objects.put(name, c);
        return "";
      }
      case "generated": {
        // generated <c> <url>: a Connection class defined from bytes at run time, wrapping a
        // DriverManager connection (see connguard.it.loading.drivers.GeneratedClasses)
        String name = w.next("name");
        objects.put(name, connguard.it.loading.drivers.GeneratedClasses.wrap(DriverManager.getConnection(w.next("url"))));
        return "";
      }
      case "loaderof": {
        // loaderof <c|s>: "system", "platform" or the loader's class name
        ClassLoader loader = object(w.next("name"), Object.class).getClass().getClassLoader();
        return loader == ClassLoader.getSystemClassLoader() ? "system"
            : loader == ClassLoader.getPlatformClassLoader() ? "platform" : loader.getClass().getName();
      }
      case "hikari": {
        // hikari <p> <url> [maxPoolSize]: a HikariCP pool, as a worker service would configure it.
        String name = w.next("name");
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(w.next("url"));
        String size = w.optional();
        config.setMaximumPoolSize(size == null ? 2 : Integer.parseInt(size));
        config.setMinimumIdle(1);
        String maxLifetime = w.optional();     // ms; HikariCP refuses less than 30 s
        if (maxLifetime != null) {
          config.setMaxLifetime(Long.parseLong(maxLifetime));
        }
        config.setPoolName(name);
        objects.put(name, new com.zaxxer.hikari.HikariDataSource(config));
        return "";
      }
      case "hikarids": {
        // hikarids <p> <DataSource class> <url>: a pool configured with dataSourceClassName
        String name = w.next("name");
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSourceClassName(w.next("class"));
        config.addDataSourceProperty("url", w.next("url"));
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        config.setPoolName(name);
        objects.put(name, new com.zaxxer.hikari.HikariDataSource(config));
        return "";
      }
      case "borrow": {
        // borrow <c> <p>: getConnection() from a pool or any DataSource in the map.
        String name = w.next("name");
        objects.put(name, object(w.next("pool"), javax.sql.DataSource.class).getConnection());
        return "";
      }
      case "datasource": {
        // datasource <c> <DataSource class> <url> [user [password]]: a connection made the way a
        // driver's own DataSource makes it (setURL or setUrl, then getConnection()).
        String name = w.next("name");
        javax.sql.DataSource ds = (javax.sql.DataSource) Class.forName(w.next("class"))
            .getDeclaredConstructor().newInstance();
        String url = w.next("url");
        String user = w.optional();
        String password = w.optional();
        invokeSetter(ds, url, "setURL", "setUrl");
        if (user != null) {
          invokeSetter(ds, user, "setUser");
          invokeSetter(ds, password == null ? "" : password, "setPassword");
        }
        objects.put(name, ds.getConnection());
        return "";
      }
      case "close":
        object(w.next("name"), AutoCloseable.class).close();
        return "";
      case "autocommit":
        connection(w).setAutoCommit(w.bool());
        return "";
      case "commit":
        connection(w).commit();
        return "";
      case "savepoint": {
        // savepoint <c> [sp]: setSavepoint(), kept as <sp> when named (for rollbackto/release)
        Connection c = connection(w);
        String name = w.optional();
        java.sql.Savepoint sp = c.setSavepoint();
        if (name != null) {
          objects.put(name, sp);
        }
        return "";
      }
      case "rollbackto":
        // rollbackto <c> <sp>: rollback(Savepoint)
        connection(w).rollback(object(w.next("savepoint"), java.sql.Savepoint.class));
        return "";
      case "release":
        // release <c> <sp>: releaseSavepoint(Savepoint)
        connection(w).releaseSavepoint(object(w.next("savepoint"), java.sql.Savepoint.class));
        return "";
      case "rollback":
        connection(w).rollback();
        return "";
      case "isolation":
        connection(w).setTransactionIsolation(w.integer());
        return "";
      case "readonly":
        connection(w).setReadOnly(w.bool());
        return "";
      case "schema":
        connection(w).setSchema(w.next("schema"));
        return "";
      case "isvalid":
        return String.valueOf(connection(w).isValid(w.integer()));
      case "abort":
        // abort <c>: Connection.abort(executor), as a pool or a timer kills a stuck connection
        connection(w).abort(Runnable::run);
        return "";
      case "abortafter": {
        // abortafter <c> <ms>: abort() from a timer thread while this shell runs the next command
        Connection c = connection(w);
        long delay = w.integer();
        Thread timer = new Thread(() -> {
          try {
            Thread.sleep(delay);
            c.abort(Runnable::run);
          } catch (Exception e) {
            System.err.println("JdbcShell: abort failed: " + e);
          }
        }, "abort-timer");
        timer.setDaemon(true);
        timer.start();
        return "";
      }
      case "getconnection":
        // getconnection <s>: Statement.getConnection(), answered with the connection's class
        return object(w.next("statement"), Statement.class).getConnection().getClass().getName();
      case "isclosed": {
        Object o = object(w.next("name"), Object.class);
        return String.valueOf(o instanceof Connection
            ? ((Connection) o).isClosed() : object(o, Statement.class).isClosed());
      }
      case "warnings": {
        // warnings <c|s>: getWarnings() then clearWarnings(), as a framework's cleanup does;
        // answers "none" or the first warning's SQLState and message
        Object o = object(w.next("name"), Object.class);
        java.sql.SQLWarning warning;
        if (o instanceof Connection) {
          warning = ((Connection) o).getWarnings();
          ((Connection) o).clearWarnings();
        } else {
          warning = object(o, Statement.class).getWarnings();
          object(o, Statement.class).clearWarnings();
        }
        return warning == null ? "none" : warning.getSQLState() + " " + warning.getMessage();
      }
      case "getautocommit":
        return String.valueOf(connection(w).getAutoCommit());
      case "getisolation":
        return String.valueOf(connection(w).getTransactionIsolation());
      case "getreadonly":
        return String.valueOf(connection(w).isReadOnly());
      case "getschema":
        return String.valueOf(connection(w).getSchema());
      case "unwrap":
        return String.valueOf(unwrap(object(w.next("name"), java.sql.Wrapper.class), w.next("interface")));
      case "classof":
        return object(w.next("name"), Object.class).getClass().getName();
      case "stmt": {
        String name = w.next("statement name");
        objects.put(name, connection(w).createStatement());
        return "";
      }
      case "prepare": {
        String name = w.next("statement name");
        Connection c = connection(w);
        objects.put(name, c.prepareStatement(w.rest("sql")));
        return "";
      }
      case "query":
      case "update":
      case "execute":
        return onStatement(command, w.next("name"), w.rest("sql"));
      case "set":
        set(statement(w, PreparedStatement.class), w);
        return "";
      case "pquery":
        try (ResultSet rs = statement(w, PreparedStatement.class).executeQuery()) {
          return rows(rs);
        }
      case "pupdate":
        return String.valueOf(statement(w, PreparedStatement.class).executeUpdate());
      case "openquery": {
        // openquery <r> <s>: executeQuery on a prepared statement, the result set kept open as <r>
        String name = w.next("result set name");
        objects.put(name, statement(w, PreparedStatement.class).executeQuery());
        return "";
      }
      case "next": {
        // next <r>: one row as "v1,v2", or END
        ResultSet rs = object(w.next("result set name"), ResultSet.class);
        if (!rs.next()) {
          return "END";
        }
        StringJoiner row = new StringJoiner(",");
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(String.valueOf(rs.getObject(i)));
        }
        return row.toString();
      }
      case "preparekeys": {
        // preparekeys <s> <c> <sql>: prepareStatement(sql, RETURN_GENERATED_KEYS)
        String name = w.next("statement name");
        Connection c = connection(w);
        objects.put(name, c.prepareStatement(w.rest("sql"), Statement.RETURN_GENERATED_KEYS));
        return "";
      }
      case "keys":
        // keys <s>: the generated keys of the statement's last execute, read to the end
        try (ResultSet rs = statement(w, Statement.class).getGeneratedKeys()) {
          return rows(rs);
        }
      case "addbatch": {
        Statement s = statement(w, Statement.class);
        String sql = w.restOrNull();
        if (sql == null) {
          object(s, PreparedStatement.class).addBatch();
        } else {
          s.addBatch(sql);
        }
        return "";
      }
      case "batch": {
        StringJoiner counts = new StringJoiner(",");
        for (int count : statement(w, Statement.class).executeBatch()) {
          counts.add(String.valueOf(count));
        }
        return counts.toString();
      }
      case "fetchsize":
        statement(w, Statement.class).setFetchSize(w.integer());
        return "";
      case "maxrows":
        statement(w, Statement.class).setMaxRows(w.integer());
        return "";
      case "querytimeout":
        statement(w, Statement.class).setQueryTimeout(w.integer());
        return "";
      case "getfetchsize":
        return String.valueOf(statement(w, Statement.class).getFetchSize());
      case "getmaxrows":
        return String.valueOf(statement(w, Statement.class).getMaxRows());
      case "getquerytimeout":
        return String.valueOf(statement(w, Statement.class).getQueryTimeout());
      case "stat":
        return String.valueOf(stat(w.next("attribute")));
      case "attr": {
        // attr <Name>: any MBean attribute as text (gauges that are not numbers)
        return String.valueOf(statsAttribute(w.next("attribute")));
      }
      case "mbeanup":
        // mbeanup: is the agent's MBean registered? Asked without starting JMX, which would
        // make the agent register at once.
        return String.valueOf(mbeanUp());
      case "sysprop":
        return String.valueOf(System.getProperty(w.next("property")));
      case "jvmargs":
        return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
      case "sleep":
        Thread.sleep(w.integer());
        return "";
      case "jdkclasses":
        // jdkclasses: lists (once) the classes loadjdk loads; how many
        return String.valueOf(jdkClassNames().size());
      case "loadjdk":
        // loadjdk <ms>: an app still starting: JDK classes not loaded yet, 10 every 20 ms, for
        // that long; how many
        return String.valueOf(loadJdkClasses(w.integer()));
      case "fleet": {
        // fleet <prefix> <n> <url>: n connections, named prefix0 .. prefix(n-1)
        String prefix = w.next("prefix");
        int n = w.integer();
        String url = w.next("url");
        for (int i = 0; i < n; i++) {
          objects.put(prefix + i, DriverManager.getConnection(url));
        }
        return "";
      }
      case "fleetquery":
        // fleetquery <prefix> <n> <threads> <sql>: the query once on each, all at once
        return fleetQuery(w.next("prefix"), w.integer(), w.integer(), w.rest("sql"));
      case "echo":
        return w.restOrEmpty();
      default:
        throw new Usage("unknown command \"" + command + "\"; " + USAGE);
    }
  }

  /**
   * Runs sql once on each connection of a fleet, on several threads at once (each connection on
   * one thread only); answers "n ok in ms", or throws the first failure with how many failed.
   */
  private String fleetQuery(String prefix, int n, int threads, String sql) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Connection c = object(prefix + i, Connection.class);
        runs.add(pool.submit(() -> {
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
          }
          return null;
        }));
      }
      Exception first = null;
      int failed = 0;
      for (java.util.concurrent.Future<?> run : runs) {
        try {
          run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          failed++;
          if (first == null && e.getCause() instanceof Exception) {
            first = (Exception) e.getCause();
          }
        }
      }
      if (first != null) {
        first.addSuppressed(new IllegalStateException(failed + " of " + n + " failed"));
        throw first;
      }
      return n + " ok in " + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
    } finally {
      pool.shutdownNow();
    }
  }

  /** query/update/execute on a statement, or on a fresh statement of a connection. */
  private String onStatement(String command, String name, String sql) throws SQLException {
    Object o = object(name, Object.class);
    if (o instanceof Connection) {
      try (Statement s = ((Connection) o).createStatement()) {
        return onStatement(command, s, sql);
      }
    }
    return onStatement(command, object(o, Statement.class), sql);
  }

  private static String onStatement(String command, Statement s, String sql) throws SQLException {
    switch (command) {
      case "query":
        try (ResultSet rs = s.executeQuery(sql)) {
          return rows(rs);
        }
      case "update":
        return String.valueOf(s.executeUpdate(sql));
      default:
        return String.valueOf(s.execute(sql));
    }
  }

  private static void set(PreparedStatement s, Words w) throws SQLException {
    int index = w.integer();
    String type = w.next("int|long|short|double|float|bool|decimal|string|null");
    switch (type) {
      case "short":
        s.setShort(index, Short.parseShort(w.next("value")));
        break;
      case "double":
        s.setDouble(index, Double.parseDouble(w.next("value")));
        break;
      case "float":
        s.setFloat(index, Float.parseFloat(w.next("value")));
        break;
      case "bool":
        s.setBoolean(index, Boolean.parseBoolean(w.next("value")));
        break;
      case "decimal":
        s.setBigDecimal(index, new java.math.BigDecimal(w.next("value")));
        break;
      case "int":
        s.setInt(index, w.integer());
        break;
      case "long":
        s.setLong(index, Long.parseLong(w.next("value")));
        break;
      case "string":
        s.setString(index, w.restOrEmpty());
        break;
      case "null":
        s.setNull(index, Types.NULL);
        break;
      default:
        throw new Usage("set: type must be int, long, short, double, float, bool, decimal, string or null, not \""
            + type + "\"");
    }
  }

  private static boolean unwrap(java.sql.Wrapper wrapper, String interfaceName) throws Exception {
    Class<?> type = Class.forName(interfaceName);
    return wrapper.isWrapperFor(type) && type.isInstance(wrapper.unwrap(type));
  }

  private static boolean mbeanUp() throws Exception {
    ObjectName name = new ObjectName(STATS_MBEAN);
    for (MBeanServer server : MBeanServerFactory.findMBeanServer(null)) {
      if (server.isRegistered(name)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> jdkClasses;

  /** The classes of java.desktop, which a JDBC app never touches (listing them loads next to none). */
  private static List<String> jdkClassNames() throws Exception {
    if (jdkClasses == null) {
      List<String> names = new ArrayList<>();
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(
          java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/")).getPath("/modules/java.desktop"))) {
        files.map(f -> f.toString()).filter(f -> f.endsWith(".class") && !f.endsWith("module-info.class"))
            .forEach(f -> names.add(f.substring("/modules/java.desktop/".length(), f.length() - 6).replace('/', '.')));
      }
      jdkClasses = names;
    }
    return jdkClasses;
  }

  /** Loads (without initialising) classes of {@link #jdkClassNames}, at a steady pace. */
  private static int loadJdkClasses(int millis) throws Exception {
    List<String> names = jdkClassNames();
    long end = System.nanoTime() + millis * 1_000_000L;
    int loaded = 0;
    for (int i = 0; i < names.size() && System.nanoTime() < end; i++) {
      try {
        Class.forName(names.get(i), false, ClassLoader.getPlatformClassLoader());
        loaded++;
      } catch (Throwable notLoadable) {
        // a class that needs what this JVM lacks: the next one
      }
      if (i % 10 == 9) {
        Thread.sleep(20);
      }
    }
    return loaded;
  }

  private static long stat(String attribute) throws Exception {
    return ((Number) statsAttribute(attribute)).longValue();
  }

  /**
   * The agent registers its MBean on a thread of its own, after the first guarded
   * connection or once JMX runs: where the agent is installed, a read waits for it (bounded)
   * before it says "not registered".
   */
  private static Object statsAttribute(String attribute) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(STATS_MBEAN);
    long deadline = System.nanoTime() + (System.getProperty("connguard.installed") != null ? 10_000_000_000L : 0);
    while (!server.isRegistered(name) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    try {
      return server.getAttribute(name, attribute);
    } catch (InstanceNotFoundException e) {
      throw new NoMBean(STATS_MBEAN + " not registered");
    }
  }

  /** Rows as {@code v1,v2;v1,v2}, SQL NULL as {@code NULL}; no rows gives "". */
  public static String rows(ResultSet rs) throws SQLException {
    int columns = rs.getMetaData().getColumnCount();
    StringJoiner rows = new StringJoiner(";");
    while (rs.next()) {
      StringJoiner row = new StringJoiner(",");
      for (int i = 1; i <= columns; i++) {
        String value = rs.getString(i);
        row.add(value == null ? "NULL" : value);
      }
      rows.add(row.toString());
    }
    return rows.toString();
  }

  /** The ERR line for a failure: SQLState and vendor code for SQLExceptions, "- 0" otherwise. */
  static String describe(Throwable failure) {
    String state = "-";
    int vendorCode = 0;
    if (failure instanceof SQLException) {
      SQLException sql = (SQLException) failure;
      state = sql.getSQLState() == null ? "-" : sql.getSQLState();
      vendorCode = sql.getErrorCode();
    }
    String message = failure.getMessage() == null ? "" : failure.getMessage().strip();
    message = message.isEmpty() ? "(no message)" : message.lines().findFirst().orElse("").strip();
    return "ERR " + state + " " + vendorCode + " " + failure.getClass().getSimpleName() + " " + message;
  }

  private void answer(String line) {
    // One answer, one line: values with line breaks must not split it.
    answers.print(line.replace('\r', ' ').replace('\n', ' ') + "\n");
    answers.flush();
  }

  /** Statements first, then connections, newest first; a failure to close is only logged. */
  private void closeAll() {
    List<Object> all = new ArrayList<>(objects.values());
    for (int pass = 0; pass < 2; pass++) {
      for (int i = all.size() - 1; i >= 0; i--) {
        Object o = all.get(i);
        boolean statementPass = pass == 0;
        if ((o instanceof Statement) == statementPass) {
          try {
            ((AutoCloseable) o).close();
          } catch (Throwable e) {
            System.err.println("JdbcShell: closing " + o.getClass().getName() + " failed: " + e);
          }
        }
      }
    }
    objects.clear();
  }

  private Connection connection(Words w) {
    return object(w.next("connection name"), Connection.class);
  }

  private <T> T statement(Words w, Class<T> type) {
    return object(w.next("statement name"), type);
  }

  private <T> T object(String name, Class<T> type) {
    Object o = objects.get(name);
    if (o == null) {
      throw new NoSuchObject("no connection or statement named \"" + name + "\"");
    }
    return object(o, type);
  }

  private static <T> T object(Object o, Class<T> type) {
    if (!type.isInstance(o)) {
      throw new Usage(o.getClass().getName() + " is not a " + type.getSimpleName());
    }
    return type.cast(o);
  }

  /** Splits a command line into words; {@link #rest} keeps the remainder verbatim (SQL). */
  private static final class Words {
    private final String line;
    private int at;

    Words(String line) {
      this.line = line;
    }

    String next(String what) {
      String word = optional();
      if (word == null) {
        throw new Usage("missing " + what + "; " + USAGE);
      }
      return word;
    }

    String optional() {
      skipBlanks();
      if (at >= line.length()) {
        return null;
      }
      int start = at;
      while (at < line.length() && !Character.isWhitespace(line.charAt(at))) {
        at++;
      }
      return line.substring(start, at);
    }

    int integer() {
      String word = next("number");
      try {
        return Integer.parseInt(word);
      } catch (NumberFormatException e) {
        throw new Usage("\"" + word + "\" is not a number");
      }
    }

    boolean bool() {
      String word = next("true|false");
      if (!word.equals("true") && !word.equals("false")) {
        throw new Usage("\"" + word + "\" is not true or false");
      }
      return Boolean.parseBoolean(word);
    }

    String rest(String what) {
      String rest = restOrNull();
      if (rest == null) {
        throw new Usage("missing " + what + "; " + USAGE);
      }
      return rest;
    }

    String restOrNull() {
      skipBlanks();
      return at >= line.length() ? null : line.substring(at).strip();
    }

    String restOrEmpty() {
      String rest = restOrNull();
      return rest == null ? "" : rest;
    }

    private void skipBlanks() {
      while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
        at++;
      }
    }
  }

  // The simple class name is the third word of the ERR line: these names are the protocol.
  static final class Usage extends RuntimeException {
    Usage(String message) {
      super(message);
    }
  }

  static final class NoMBean extends RuntimeException {
    NoMBean(String message) {
      super(message);
    }
  }

  static final class NoSuchObject extends RuntimeException {
    NoSuchObject(String message) {
      super(message);
    }
  }

  private static void invokeSetter(Object target, String value, String... names) throws Exception {
    for (String n : names) {
      try {
        target.getClass().getMethod(n, String.class).invoke(target, value);
        return;
      } catch (NoSuchMethodException tryNext) {
        // DataSources disagree on setURL vs setUrl.
      }
    }
    throw new NoSuchMethodException(target.getClass().getName() + " has none of " + String.join(", ", names));
  }
}
