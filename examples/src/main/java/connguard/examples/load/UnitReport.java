package connguard.examples.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The units of work's outcomes as lines for the test, which judges them (agent-tests'
 * {@code connguard.it.jpa.UnitOutcomes} reads them): facts, never a verdict. Kept until
 * {@link #write}: the lines to the file named by system property {@code jpa.keys}, the stack
 * traces of the first {@value #TRACES} failures to {@code jpa.traces}.
 *
 * <pre>
 * ok KEY
 * fail KEY PHASE TOP-CLASS
 * cause KIND CLASS SQLSTATE ERROR-CODE FIRST-LINE-OF-MESSAGE     (one per throwable of the chain)
 * </pre>
 *
 * KIND says what the throwable is: {@code sql}, {@code sql-connection} (an
 * {@code SQLNonTransientConnectionException} or {@code SQLRecoverableException}), {@code wrapper}
 * (the app's framework's exception type, as the app says), {@code pool-closed} (HikariCP's
 * "Connection is closed" on a proxy it closed itself), {@code io}, {@code checked}, or
 * {@code foreign} (any other unchecked throwable: a bug in someone's code). A unit may have a
 * second {@code fail} line in phase {@code rollback}: its rollback failed too.
 */
public final class UnitReport {
  private static final int MAX_CHAIN = 32;
  static final int TRACES = 12;

  private final Predicate<Throwable> frameworkException;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final List<String> traces = Collections.synchronizedList(new ArrayList<>());

  /** @param frameworkException the app's framework's own exception types (JPA's, Spring's) */
  public UnitReport(Predicate<Throwable> frameworkException) {
    this.frameworkException = frameworkException;
  }

  public void ok(String key) {
    lines.add("ok " + key);
  }

  /** One failure: its {@code fail} line and a {@code cause} line per throwable; its trace if among the first. */
  public void failed(String key, String phase, Throwable failure) {
    List<String> unit = new ArrayList<>();
    unit.add("fail " + key + " " + phase + " " + failure.getClass().getName());
    for (Throwable t : chain(failure)) {
      String state = "-";
      String code = "-";
      if (t instanceof SQLException) {
        SQLException e = (SQLException) t;
        state = e.getSQLState() == null ? "-" : e.getSQLState();
        code = Integer.toString(e.getErrorCode());
      }
      String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
      unit.add("cause " + kind(t) + " " + t.getClass().getName() + " " + state + " " + code + " " + message);
    }
    lines.addAll(unit);     // one call: a unit's lines stay together
    synchronized (traces) {
      if (traces.size() < TRACES) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        traces.add("=== phase=" + phase + " key=" + key + "\n" + trace);
      }
    }
  }

  /** Writes the lines and the traces to the files the test named (jpa.keys, jpa.traces). */
  public void write() throws IOException {
    Files.write(Paths.get(System.getProperty("jpa.keys")), new ArrayList<>(lines), StandardCharsets.UTF_8);
    Files.write(Paths.get(System.getProperty("jpa.traces")), new ArrayList<>(traces), StandardCharsets.UTF_8);
  }

  String kind(Throwable t) {
    if (t instanceof SQLException) {
      if ("Connection is closed".equals(t.getMessage()) && closedByPool(t)) {
        return "pool-closed";
      }
      return t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException
          ? "sql-connection" : "sql";
    }
    if (frameworkException.test(t)) {
      return "wrapper";
    }
    if (t instanceof IOException) {
      return "io";
    }
    return t instanceof RuntimeException || t instanceof Error ? "foreign" : "checked";
  }

  private static boolean closedByPool(Throwable t) {
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection")) {
        return true;
      }
    }
    return false;
  }

  /** The failure, its causes, suppressed and next exceptions; bounded, each once. */
  static List<Throwable> chain(Throwable failure) {
    List<Throwable> seen = new ArrayList<>();
    Set<Throwable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> todo = new ArrayList<>();
    todo.add(failure);
    for (int i = 0; i < todo.size() && seen.size() < MAX_CHAIN; i++) {
      Throwable t = todo.get(i);
      if (t == null || !visited.add(t)) {
        continue;
      }
      seen.add(t);
      todo.add(t.getCause());
      Collections.addAll(todo, t.getSuppressed());
      if (t instanceof SQLException) {
        todo.add(((SQLException) t).getNextException());
      }
    }
    return seen;
  }
}
