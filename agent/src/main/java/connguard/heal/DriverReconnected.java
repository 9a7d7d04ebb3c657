package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.MethodKind;
import connguard.metrics.Events;
import connguard.policy.Decision;
import connguard.policy.SqlFacts;

/**
 * The driver failed over by itself (MariaDB Connector/J's {@code sequential:},
 * {@code loadbalance:}, {@code aurora:} URLs): its connection is alive on another server, and it
 * answered the interrupted call with 25S03 without running it again. Whatever the policy would
 * re-execute on a fresh connection of ours it re-executes here, once, on the driver's own new
 * one: no heal, the driver restored its session itself. In a transaction with work in it the
 * driver's answer stands (that work is gone with the old server).
 */
final class DriverReconnected {
  /** The re-run goes through the app's own guarded statement: a second 25S03 is the app's. */
  private static final ThreadLocal<Boolean> RERUNNING = new ThreadLocal<Boolean>();

  private DriverReconnected() {}

  static Object rerun(LogicalConnection conn, LogicalStatement statement, int kind, String method,
                      Object[] args, Throwable failure) {
    GuardContext ctx = conn.ctx;
    int operation = MethodKind.operation(kind);
    if (statement == null || operation != MethodKind.STMT_EXECUTE || RERUNNING.get() != null
        || !ctx.classifier.driverReconnected(failure)
        || !(conn.isAutoCommitEffective() || conn.transaction.work == 0)) {
      return OnceMore.NOT_OURS;
    }
    String sql = statement.sqlForDecision(method, args);
    SqlFacts facts = SqlFacts.of(sql, conn.sqlCatalog());
    Decision decision = ctx.policy.decide(Recovery.attempt(conn, statement, operation, method, args, sql, facts, false, 0));
    String said = "connection #" + conn.id + " to " + conn.factory + ": the driver failed over by itself ("
        + Recovery.briefly(failure) + "); ";
    if (!decision.isRetry() || decision == Decision.REPLAY_TRANSACTION) {
      conn.reportRefusal("connguard: " + said + Guard.nameOf(method) + " not re-executed: " + decision.reason()
          + "; the application gets the driver's answer");
      return OnceMore.NOT_OURS;
    }
    if (ctx.dryRun) {
      conn.report(Events.DRY_RUN, "connguard: [dry run] " + said + "would re-execute " + Guard.nameOf(method) + " (" + decision.reason()
          + ") on its new connection; nothing done");
      return OnceMore.NOT_OURS;
    }
    RERUNNING.set(Boolean.TRUE);
    try {
      Object result = OnceMore.run(statement, method, args, failure);
      conn.counts.failoversFollowed.increment();
      conn.report(Events.FAILOVER, "connguard: " + said + "re-executed " + Guard.nameOf(method) + " (" + decision.reason()
          + ") on its new connection");
      return result;
    } catch (Throwable again) {
      conn.reportRefusal("connguard: " + said + "re-executing " + Guard.nameOf(method) + " on its new connection failed: "
          + Recovery.briefly(again) + "; the application gets that error");
      return new Failure(again);
    } finally {
      RERUNNING.remove();
    }
  }
}
