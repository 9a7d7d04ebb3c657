package connguard.it.jpa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The units of work a JPA child reported, and the one rule that judges their failures. Both children
 * ({@link JpaWorkload}, Hibernate alone; examples-boot's {@code connguard.examples.ledger.LedgerWorkload},
 * Spring Boot) report facts through examples' {@link connguard.examples.load.UnitReport}:
 *
 * <pre>
 * ok KEY
 * fail KEY PHASE TOP-CLASS
 * cause KIND CLASS SQLSTATE ERROR-CODE FIRST-LINE-OF-MESSAGE     (one per throwable of the chain)
 * </pre>
 *
 * KIND: {@code sql}, {@code sql-connection}, {@code wrapper} (the framework's exception types),
 * {@code pool-closed} (HikariCP's "Connection is closed" on a proxy it closed), {@code io},
 * {@code checked}, {@code foreign} (any other unchecked throwable). A unit may have a second
 * {@code fail} line in phase {@code rollback}: its rollback failed too.
 */
final class UnitOutcomes {
  /** MariaDB/MySQL error codes of a dead connection (README, "What is re-executed"). */
  static final Set<Integer> DEAD_MYSQL_CODES = Set.of(2006, 2013, 2055, 4031, 1053, 1927);

  /** One throwable of a failure's chain, as the child saw it. */
  record Cause(String kind, String className, String sqlState, int errorCode, String message) {
    boolean isSql() {
      return kind.equals("sql") || kind.equals("sql-connection") || kind.equals("pool-closed");
    }

    String simpleName() {
      return className.substring(className.lastIndexOf('.') + 1);
    }
  }

  /** One {@code fail} line and its causes. */
  record Failure(String key, String phase, String topClass, List<Cause> causes) {}

  final List<String> acknowledged = new ArrayList<>();
  /** Each failed unit's first failure, by key, in the order reported. */
  final Map<String, Failure> failedUnits = new LinkedHashMap<>();
  /** Every failure (a unit's and its rollback's), with its category. */
  final Map<String, Long> categories = new TreeMap<>();
  final List<Failure> failures = new ArrayList<>();

  static UnitOutcomes parse(List<String> lines, boolean mariadb) {
    UnitOutcomes o = new UnitOutcomes();
    Failure current = null;
    for (String line : lines) {
      if (line.startsWith("ok ")) {
        o.acknowledged.add(line.substring(3).trim());
        current = null;
      } else if (line.startsWith("fail ")) {
        String[] f = line.split(" ", 4);
        current = new Failure(f[1], f[2], f.length > 3 ? f[3] : "-", new ArrayList<>());
        o.failures.add(current);
        o.failedUnits.putIfAbsent(current.key(), current);
      } else if (line.startsWith("cause ") && current != null) {
        String[] f = line.split(" ", 6);
        current.causes().add(new Cause(f[1], f[2], f[3], f[4].equals("-") ? 0 : Integer.parseInt(f[4]),
            f.length > 5 ? f[5] : ""));
      }
    }
    for (Failure failure : o.failures) {
      o.categories.merge(category(failure, mariadb), 1L, Long::sum);
    }
    return o;
  }

  /**
   * refused:transaction-lost, refused:commit-outcome-unknown, refused:replay-40001 are the agent's
   * documented refusals (README, "What is re-executed, and what never is"): a dead connection after
   * the transaction did work, or under a commit, surfaces the driver's own exception; a replay that
   * cannot be verified surfaces 40001. pool:* is HikariCP's own doing after one of them.
   * Everything else is other:*, including a dead connection on a read outside a transaction or on
   * the transaction's first statement, which the agent re-executes.
   */
  static String category(Failure failure, boolean mariadb) {
    for (Cause c : failure.causes()) {
      // Frameworks wrap SQLExceptions, drivers put their IOException under them; any other
      // unchecked throwable (IllegalArgumentException from a reflective call, ClassCastException,
      // NPE) is a bug in someone's code.
      if (c.kind().equals("foreign")) {
        return "other:foreign:" + c.simpleName();
      }
    }
    boolean dead = false;
    boolean closedByPool = false;
    for (Cause c : failure.causes()) {
      if (c.isSql() && c.sqlState().equals("40001") && c.message().startsWith("connguard: transaction lost")) {
        return "refused:replay-40001";
      }
      dead |= isDead(c, mariadb);
      closedByPool |= c.kind().equals("pool-closed");
    }
    if (failure.phase().equals("rollback")) {
      // The agent promises that rollback() after a lost transaction succeeds. HikariCP, though,
      // closes its proxy's connection once it saw a fatal SQLState (08..., 57P01 ...), with or
      // without the agent: the framework's rollback then fails with the pool's "Connection is closed".
      return closedByPool ? "pool:rollback-after-eviction" : "other:rollback-failed:" + simpleName(failure.topClass());
    }
    if (!dead) {
      return "other:not-a-dead-connection:" + firstState(failure.causes());
    }
    switch (failure.phase()) {
      case "read":
      case "autocommit-read":
      case "begin":
      case "first-statement":
        return "other:dead-on-first-statement";
      case "commit":
        return "refused:commit-outcome-unknown";
      default:
        return "refused:transaction-lost";
    }
  }

  static boolean isDead(Cause c, boolean mariadb) {
    if (!c.isSql()) {
      return false;
    }
    String state = c.sqlState();
    if (state.startsWith("08") || state.startsWith("57P") || state.equals("70100")) {
      return true;
    }
    return c.kind().equals("sql-connection") || (mariadb && DEAD_MYSQL_CODES.contains(c.errorCode()));
  }

  private static String firstState(List<Cause> causes) {
    for (Cause c : causes) {
      if (c.isSql() && !c.sqlState().equals("-")) {
        return c.sqlState();
      }
    }
    return "none";
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  long count(String prefix) {
    return categories.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue).sum();
  }

  long category(String category) {
    return categories.getOrDefault(category, 0L);
  }

  String describeCategories() {
    return categories.isEmpty() ? "none" : categories.toString();
  }
}
