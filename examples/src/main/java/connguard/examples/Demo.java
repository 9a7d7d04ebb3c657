package connguard.examples;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** What every demo shares: how it prints, names its agent, reports a failure and waits. */
final class Demo {
  private Demo() {}

  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** "SQLState message" for the RESULT line. */
  static String reason(Exception e) {
    if (e instanceof SQLException sql) {
      return sql.getSQLState() + " " + oneLine(sql.getMessage());
    }
    return oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
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
}
