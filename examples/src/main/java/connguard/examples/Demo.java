package connguard.examples;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What every demo shares: how it prints, names its agent, reports a failure and waits. Public for
 * the Spring Boot demo, a module of its own (examples-boot) so that Boot stays off this class path.
 */
public final class Demo {
  private Demo() {}

  public static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** "SQLState message" for the RESULT line. */
  public static String reason(Exception e) {
    if (e instanceof SQLException sql) {
      return sql.getSQLState() + " " + oneLine(sql.getMessage());
    }
    return oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
  }

  /** The driver's own exception under a framework's translation (Spring, Hibernate), for its SQLState. */
  public static Exception sqlCause(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return new IllegalStateException(oneLine(e.getMessage()));
  }

  /** The one number a {@code select count(*) ...} answers: the demos' check from an admin connection. */
  public static long count(java.sql.Statement st, String sql) throws SQLException {
    try (java.sql.ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The -javaagent argument this JVM runs with, or "none". */
  static String agentArgument() {
    List<String> agents = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-javaagent:"))
        .collect(Collectors.toList());
    return agents.isEmpty() ? "none" : String.join(" ", agents);
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Runs a demo against its database ({@link DemoDatabase#fromEnvironment}: the embedded H2 server
   * it starts and always stops, or env JDBC_URL): prints the title and the agent line, then the
   * demo's exit code (2 when the database could not even be reached).
   */
  public static int runOnDatabase(String title, java.util.function.ToIntFunction<DemoDatabase> demo) {
    // No logging backend on the examples' class path; without this SLF4J says so in three lines.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    say(title);
    say("agent: " + agentArgument());
    DemoDatabase db;
    try {
      db = DemoDatabase.fromEnvironment();
    } catch (java.io.IOException | RuntimeException | java.sql.SQLException e) {
      say("RESULT: demo could not run: " + reason(e));
      return 2;
    }
    try {
      return demo.applyAsInt(db);
    } finally {
      db.close();
    }
  }
}
