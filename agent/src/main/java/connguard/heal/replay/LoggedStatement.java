package connguard.heal.replay;

import connguard.heal.call.OwnCalls;
import connguard.heal.recipe.StatementRecipe;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

/**
 * One execute of a recorded transaction: how to make the statement again (a recipe snapshot),
 * the call, and what it returned: its own outcome (update counts, or "rows"), and digests of the
 * rows the app read from its result set and its generated keys.
 */
public final class LoggedStatement {
  static final String ROWS = "rows";
  /**
   * The outcome of a savepoint call (recipe null; {@link #appStatementOrSavepoint}: the Savepoint
   * setSavepoint gave the app).
   */
  public static final String SAVEPOINT = "savepoint";

  final StatementRecipe recipe;
  final String method;
  final Object[] args;
  final String outcome;
  /**
   * The statement the app ran it on: getGeneratedKeys finds its latest entry by this. For a
   * savepoint call, the Savepoint setSavepoint returned (null for rollback/release).
   */
  final Object appStatementOrSavepoint;
  RowDigest rows;
  RowDigest keys;
  /**
   * After a replay, when the app had not read its result set to the end: the replay's result set,
   * positioned where the app's stands, so each further row the app reads from its own (first-run)
   * result set is compared with the replay's ({@link ResultSetTap}). Closed with the transaction,
   * with the statement that made it.
   */
  ResultSet replayResultSet;
  Statement replayStatement;

  LoggedStatement(StatementRecipe recipe, String method, Object[] args, String outcome,
      Object appStatementOrSavepoint) {
    this.recipe = recipe;
    this.method = method;
    this.args = args;
    this.outcome = outcome;
    this.appStatementOrSavepoint = appStatementOrSavepoint;
  }

  /**
   * An execute's result as compared between the first run and the replay: "count 3", "counts [1, 1]",
   * or {@link #ROWS} (the rows are compared by {@link RowDigest}). execute() returning false is its
   * update count, asked from the statement.
   */
  static String outcomeOf(Object result, Object statement) throws Exception {
    if (result instanceof ResultSet || Boolean.TRUE.equals(result)) {
      return ROWS;
    }
    if (result instanceof Integer || result instanceof Long) {
      return "count " + result;
    }
    if (result instanceof int[]) {
      return "counts " + Arrays.toString((int[]) result);
    }
    if (result instanceof long[]) {
      return "counts " + Arrays.toString((long[]) result);
    }
    if (Boolean.FALSE.equals(result)) {
      OwnCalls.enter();
      try {
        return "count " + ((Statement) statement).getUpdateCount();
      } finally {
        OwnCalls.exit();
      }
    }
    return "result " + result;
  }
}
