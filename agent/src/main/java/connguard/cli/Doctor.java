package connguard.cli;

import connguard.log.Redact;
import connguard.tuning.Product;
import connguard.tuning.Recommendation;
import connguard.tuning.ServerTimeouts;
import connguard.tuning.Standbys;
import connguard.tuning.TimeoutReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code connguard.jar doctor <jdbc-url> [user] [password-env-var]}: connects once, measures
 * connect and round-trip time, reads the server's own timeouts and prints connguard and pool
 * settings that fit them ({@link Recommendation}).
 *
 * <p>Exit 0 with a report on stdout; 1 with one line on stderr when the database cannot be
 * reached or the driver is missing; 2 for a wrong command line. The password comes only from the
 * environment variable named on the command line and is masked in everything printed.
 */
public final class Doctor {
  static final String USAGE =
      "usage: java -cp connguard.jar:<driver.jar> connguard.cli.Main doctor <jdbc-url> [user] [password-env-var]\n"
      + "       java -jar connguard.jar doctor [--driver-path <driver.jar>] <jdbc-url> [user] [password-env-var]\n"
      + "  password-env-var is the NAME of an environment variable holding the password, e.g. PGPASSWORD;\n"
      + "  the password itself never goes on the command line.\n";

  static final int LOGIN_TIMEOUT_SECONDS = 10;
  static final int QUERY_TIMEOUT_MILLIS = 15_000;
  static final int ROUND_TRIPS = 5;

  private final Args args;
  private final String password;    // null: none given
  private final PrintStream out;
  private final PrintStream err;

  private Doctor(Args args, String password, PrintStream out, PrintStream err) {
    this.args = args;
    this.password = password;
    this.out = out;
    this.err = err;
  }

  /** Arguments after "doctor"; returns the exit code. */
  public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException wrong) {
      err.println("connguard doctor: " + wrong.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (args.help) {
      out.print(USAGE);
      return 0;
    }
    String password = null;
    if (args.passwordVariable != null) {
      password = env.get(args.passwordVariable);
      if (password == null) {
        // Not echoed: whoever typed the password here by mistake must not see it in a log.
        err.println("connguard doctor: the password variable named on the command line is not set;"
            + " give the NAME of an environment variable that holds the password");
        return 2;
      }
    }
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    try {
      quietDrivers(root);
      return new Doctor(args, password, out, err).diagnose();
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
      root.setLevel(rootLevel);
    }
  }

  /**
   * Drivers log their own view of a failure, some with a stack trace (MariaDB Connector/J:
   * "[ WARN] (main) Error: 1045-28000: Access denied ..."). The doctor says it once, in its own
   * line on {@code err}; while it runs, whatever drivers print or log goes nowhere.
   */
  private static void quietDrivers(Logger root) {
    root.setLevel(Level.OFF);      // java.util.logging: pgjdbc and many others
    PrintStream nowhere = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {}

      @Override
      public void write(byte[] b, int off, int len) {}
    }, true);
    System.setOut(nowhere);   // console loggers that print directly (MariaDB's fallback logger)
    System.setErr(nowhere);
  }

  private int diagnose() {
    try {
      if (args.driverPath != null) {
        DriverShim.registerFrom(args.driverPath);
      }
    } catch (IllegalArgumentException | SQLException | LinkageError | SecurityException e) {
      err.println(mask("connguard doctor: " + oneLine(Redact.url(message(e)))));
      return 1;
    }
    Connection connection;
    long connectNanos;
    try {
      long start = System.nanoTime();
      connection = connect();
      connectNanos = System.nanoTime() - start;
    } catch (SQLException e) {
      err.println(cannotConnect(reason(e)));
      return 1;
    } catch (RuntimeException | LinkageError e) {
      // Some drivers throw unchecked exceptions for URLs they half understand.
      err.println(cannotConnect(e.getClass().getSimpleName() + ": " + oneLine(Redact.url(message(e)))));
      return 1;
    }
    try {
      out.print(mask(examine(connection, connectNanos, secondConnectNanos())));
      out.flush();
      return 0;
    } catch (SQLException e) {
      err.println(mask("connguard doctor: connected to " + Redact.url(args.url) + ", then failed: "
          + reason(e)));
      return 1;
    } catch (RuntimeException | LinkageError e) {
      err.println(mask("connguard doctor: connected to " + Redact.url(args.url) + ", then failed: "
          + e.getClass().getSimpleName() + ": " + oneLine(Redact.url(message(e)))));
      return 1;
    } finally {
      try {
        connection.close();
      } catch (SQLException | RuntimeException ignored) {
        // the report is out; nothing depends on a clean close
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties info = new Properties();
    if (args.user != null) {
      info.setProperty("user", args.user);
    }
    if (password != null) {
      info.setProperty("password", password);
    }
    DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
    return DriverManager.getConnection(args.url, info);
  }

  /** A reconnect as a warmed-up app pays it; -1 if this one failed (the report goes on without it). */
  private long secondConnectNanos() {
    long start = System.nanoTime();
    try (Connection again = connect()) {
      return System.nanoTime() - start;
    } catch (SQLException | RuntimeException e) {
      return -1;
    }
  }

  private String examine(Connection connection, long firstConnectNanos, long connectNanos) throws SQLException {
    try {
      connection.setNetworkTimeout(Runnable::run, QUERY_TIMEOUT_MILLIS);
    } catch (SQLException | RuntimeException | AbstractMethodError notSupported) {
      // older drivers: the statements below still have a query timeout
    }
    DatabaseMetaData meta = connection.getMetaData();
    String productName = meta.getDatabaseProductName();
    String productVersion = meta.getDatabaseProductVersion();
    Product product = Product.of(productName, productVersion);
    String version = TimeoutReader.versionText(product, productName, productVersion);
    Report.Measured measured = measure(connection, meta.getDriverName() + " " + meta.getDriverVersion(),
        firstConnectNanos, connectNanos);
    ServerTimeouts timeouts;
    String readProblem = null;
    try {
      timeouts = TimeoutReader.read(connection, product, version);
    } catch (SQLException e) {
      timeouts = ServerTimeouts.unknown(product, version);
      readProblem = reason(e);
    }
    String failoverNote = Standbys.read(connection, product).note(args.url, product);
    return Report.text(Redact.url(args.url), args.user, measured, timeouts, readProblem,
        Recommendation.from(timeouts), failoverNote);
  }

  private static Report.Measured measure(Connection connection, String driver, long firstConnectNanos,
      long connectNanos) throws SQLException {
    long[] nanos = new long[ROUND_TRIPS];
    String probe = "SELECT 1";
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) TimeUnit.MILLISECONDS.toSeconds(QUERY_TIMEOUT_MILLIS));
      for (int i = -1; i < ROUND_TRIPS; i++) {     // -1: a warm-up the median does not see
        long start = System.nanoTime();
        try (ResultSet rs = statement.executeQuery(probe)) {
          rs.next();
        }
        if (i >= 0) {
          nanos[i] = System.nanoTime() - start;
        }
      }
    } catch (SQLException noSelectWithoutFrom) {
      // e.g. Oracle before 23 wants FROM DUAL; isValid is a round trip on every current driver.
      probe = "isValid";
      for (int i = 0; i < ROUND_TRIPS; i++) {
        long start = System.nanoTime();
        connection.isValid((int) TimeUnit.MILLISECONDS.toSeconds(QUERY_TIMEOUT_MILLIS));
        nanos[i] = System.nanoTime() - start;
      }
    }
    Arrays.sort(nanos);
    return new Report.Measured(driver, firstConnectNanos, connectNanos, nanos[ROUND_TRIPS / 2], probe, ROUND_TRIPS);
  }

  private String cannotConnect(String reason) {
    return mask("connguard doctor: cannot connect to " + Redact.url(args.url) + ": " + reason);
  }

  private String reason(SQLException e) {
    // DriverManager's own message repeats the whole URL; say what to do instead.
    if ("08001".equals(e.getSQLState()) && String.valueOf(e.getMessage()).startsWith("No suitable driver")) {
      return "no JDBC driver accepts this URL (put the driver jar on the class path:"
          + " -cp connguard.jar:driver.jar connguard.cli.Main doctor ..., or use --driver-path driver.jar)";
    }
    String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
    return oneLine(Redact.url(message(e))) + state;
  }

  private static String message(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.trim().isEmpty()) {
      Throwable cause = e.getCause();
      return cause != null && cause != e ? cause.toString() : e.getClass().getName();
    }
    return message;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /**
   * The last guard before anything is printed: the password itself, wherever a driver echoed it.
   * URLs and driver messages were passed through {@link Redact#url} piece by piece before; on
   * the whole text it would also swallow the ": " after a masked URL.
   */
  private String mask(String text) {
    // Correctness over looks: a very short password may mask a few letters of ordinary text.
    return password == null || password.isEmpty() ? text : text.replace(password, "***");
  }

  /** The command line after "doctor". */
  static final class Args {
    String url;
    String user;
    String passwordVariable;
    String driverPath;
    boolean help;

    /** @throws IllegalArgumentException with a line that never repeats a positional argument */
    static Args parse(String[] argv) {
      Args args = new Args();
      List<String> positional = new ArrayList<>();
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
          args.help = true;
        } else if (a.equals("--driver-path")) {
          if (i + 1 >= argv.length) {
            throw new IllegalArgumentException("--driver-path needs a jar file");
          }
          args.driverPath = argv[++i];
        } else if (a.startsWith("--driver-path=")) {
          args.driverPath = a.substring("--driver-path=".length());
        } else if (a.startsWith("--")) {
          throw new IllegalArgumentException("unknown option; the only one is --driver-path <jar>");
        } else {
          positional.add(a);
        }
      }
      if (args.help) {
        return args;
      }
      if (positional.isEmpty()) {
        throw new IllegalArgumentException("needs a JDBC URL");
      }
      if (positional.size() > 3) {
        throw new IllegalArgumentException("too many arguments (at most: URL, user, password variable name)");
      }
      args.url = positional.get(0);
      args.user = positional.size() > 1 ? positional.get(1) : null;
      args.passwordVariable = positional.size() > 2 ? positional.get(2) : null;
      if (args.driverPath != null && args.driverPath.isEmpty()) {
        throw new IllegalArgumentException("--driver-path needs a jar file");
      }
      return args;
    }
  }
}
