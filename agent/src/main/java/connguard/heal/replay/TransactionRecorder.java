package connguard.heal.replay;

import connguard.bridge.MethodKind;
import connguard.heal.Guard;
import connguard.heal.LogicalConnection;
import connguard.heal.LogicalStatement;
import connguard.heal.call.OwnCalls;
import connguard.heal.recipe.StatementRecipe;
import connguard.policy.SqlFacts;
import connguard.policy.SqlKind;
import java.sql.Statement;

/**
 * Feeds a connection's {@link TransactionLog} from successful statement calls: what ran inside a
 * transaction, and the digests of what it returned. Off the hot path unless transactionReplay or
 * resolveCommitOutcome is on (the connection then has a log).
 */
public final class TransactionRecorder {
  private TransactionRecorder() {}

  /** Before the statement's own bookkeeping (executeBatch clears the recorded batch). */
  public static void afterSuccess(LogicalStatement statement, int operation, String method, Object[] args, Object result) {
    LogicalConnection conn = statement.conn;
    TransactionLog log = conn.log;
    if (log == null || conn.isAutoCommitEffective()) {
      return;
    }
    if (operation == MethodKind.STMT_EXECUTE) {
      afterExecute(statement, log, method, args, result);
    } else if (operation == MethodKind.STMT_GENERATED_KEYS && log.isRecording()) {
      LoggedStatement entry = log.lastRunOn(statement);
      if (entry != null) {
        if (entry.keys == null) {
          entry.keys = new RowDigest();
        }
        ResultSetTap.attach(result, statement.conn, entry.keys, null);
      }
    }
  }

  private static void afterExecute(LogicalStatement statement, TransactionLog log, String method, Object[] args,
                                   Object result) {
    String sql = statement.sqlForDecision(method, args);
    SqlFacts facts = SqlFacts.of(sql, statement.conn.sqlCatalog());
    SqlKind kind = facts.kind();
    if (kind == SqlKind.TX_BEGIN || kind == SqlKind.TX_COMMIT || kind == SqlKind.TX_ROLLBACK) {
      return;                        // the connection's afterStatement begins or clears the log
    }
    log.noteWrite(sql == null || !facts.isRead());
    if (!log.isRecording()) {
      return;
    }
    if (facts.commitsImplicitly()) {
      // MySQL DDL, CALL: what ran before may be committed already; replaying it could apply it twice.
      log.refuse("it ran a statement that may commit by itself (DDL or CALL)");
      return;
    }
    if (statement.recipe().isCall()) {
      log.refuse("it ran a CallableStatement, whose OUT parameters connguard cannot verify");
      return;
    }
    if (result == null) {
      log.refuse("the result of " + Guard.nameOf(method) + " was not seen (class woven before the agent started?)");
      return;
    }
    Object physical = statement.physicalNow();
    String outcome;
    try {
      outcome = LoggedStatement.outcomeOf(result, physical);
    } catch (Throwable t) {
      log.refuse("the result of " + Guard.nameOf(method) + " could not be read (" + t + ")");
      return;
    }
    // The prepared SQL is counted with the recipe; Statement.execute(sql) brings its own.
    StatementRecipe recipe = statement.recipe();
    long bytes = recipe.approximateBytes() + (sql != null && sql != recipe.preparedSql() ? 2L * sql.length() : 0);
    LoggedStatement entry = log.add(recipe, method, args, outcome, bytes, statement);
    if (entry == null || !LoggedStatement.ROWS.equals(outcome)) {
      return;
    }
    entry.rows = new RowDigest();
    Object resultSet = result;
    if (result instanceof Boolean) {
      OwnCalls.enter();
      try {
        resultSet = ((Statement) physical).getResultSet();
      } catch (Throwable t) {
        log.refuse("its result set could not be reached (" + t + ")");
        return;
      } finally {
        OwnCalls.exit();
      }
    }
    ResultSetTap.attach(resultSet, statement.conn, entry.rows, entry);
  }
}
