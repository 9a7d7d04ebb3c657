package connguard.examples.load;

import java.io.IOException;
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
 * A unit of work's outcome as lines for the test, which judges them (agent-tests'
 * {@code connguard.it.jpa.UnitOutcomes} reads them): facts, never a verdict.
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

  private final Predicate<Throwable> frameworkException;

  /** @param frameworkException the app's framework's own exception types (JPA's, Spring's) */
  public UnitReport(Predicate<Throwable> frameworkException) {
    this.frameworkException = frameworkException;
  }

  public static String ok(String key) {
    return "ok " + key;
  }

  /** The lines of one failure: its {@code fail} line and a {@code cause} line per throwable. */
  public List<String> failed(String key, String phase, Throwable failure) {
    List<String> lines = new ArrayList<>();
    lines.add("fail " + key + " " + phase + " " + failure.getClass().getName());
    for (Throwable t : chain(failure)) {
      String state = "-";
      String code = "-";
      if (t instanceof SQLException) {
        SQLException e = (SQLException) t;
        state = e.getSQLState() == null ? "-" : e.getSQLState();
        code = Integer.toString(e.getErrorCode());
      }
      String message = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
      lines.add("cause " + kind(t) + " " + t.getClass().getName() + " " + state + " " + code + " " + message);
    }
    return lines;
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
