package connguard.heal;

import connguard.heal.call.Call;
import connguard.heal.recipe.StatementRecipe;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The session settings the app made on a connection, to be made again on a fresh one: JDBC
 * setters (isolation, read-only, catalog, schema, holdability, network timeout, client info, type
 * map, autocommit) and session SQL ({@code SET ...}, {@code USE ...}). The latest value of each
 * setter wins; SQL is kept in order, bounded.
 */
final class SessionState {
  /** More session SQL than this and we stop pretending we can restore it. */
  static final int MAX_SQL = 64;
  private static final String AUTO_COMMIT = "setAutoCommit(Z)V";

  private final LinkedHashMap<String, Call> setters = new LinkedHashMap<String, Call>();
  /** Session SQL in order: a text, or a prepared statement's recipe with its parameters. */
  private final List<Object> sql = new ArrayList<Object>();
  private boolean overflowed;

  synchronized void recordSetter(String method, Object[] args) {
    String key = method;
    if (method.startsWith("setClientInfo(Ljava/lang/String;") && args != null && args.length > 0) {
      key = method + '=' + args[0];     // one entry per client-info name
    }
    setters.remove(key);                // re-inserted last: the latest call's order is kept
    setters.put(key, new Call(method, args == null ? null : args.clone()));
  }

  synchronized void recordSql(String statement) {
    if (sql.size() >= MAX_SQL) {
      overflowed = true;
      return;
    }
    sql.add(statement);
  }

  /** A prepared session statement (SELECT set_config(?, ?, false)), replayed with its parameters. */
  synchronized void recordPrepared(StatementRecipe statement) {
    if (sql.size() >= MAX_SQL) {
      overflowed = true;
      return;
    }
    sql.add(statement);
  }

  synchronized void clearSql() {
    sql.clear();
    overflowed = false;
  }

  /**
   * Did the app make its session or transactions read-only in SQL ({@code SET SESSION
   * CHARACTERISTICS AS TRANSACTION READ ONLY}, {@code SET default_transaction_read_only},
   * MySQL's {@code SET SESSION TRANSACTION READ ONLY} or {@code transaction_read_only})? A loose
   * look: a false yes only leaves a read-only refusal to the app, as without the agent.
   */
  synchronized boolean mentionsReadOnly() {
    for (Object s : sql) {
      String lower = textOf(s).toLowerCase(Locale.ROOT);
      if (lower.contains("read only") || lower.contains("read_only")) {
        return true;
      }
    }
    return false;
  }

  synchronized boolean isRestorable() {
    return !overflowed;
  }

  /** Makes the same settings on {@code fresh}; throws if any fails (the heal is then given up). */
  synchronized void restoreOn(Connection fresh) throws Throwable {
    for (Call setter : setters.values()) {
      if (!setter.method.equals(AUTO_COMMIT)) {
        setter.invokeOn(fresh);
      }
    }
    if (!sql.isEmpty()) {
      Statement statement = fresh.createStatement();
      try {
        for (Object s : sql) {
          if (s instanceof String) {
            statement.execute((String) s);
          } else {
            PreparedStatement prepared = (PreparedStatement) ((StatementRecipe) s).recreateOn(fresh);
            try {
              prepared.execute();
            } finally {
              prepared.close();
            }
          }
        }
      } finally {
        statement.close();
      }
    }
    // Autocommit last: with it off, the session SQL above would open a transaction on some servers.
    Call autoCommit = setters.get(AUTO_COMMIT);
    if (autoCommit != null) {
      autoCommit.invokeOn(fresh);
    }
  }

  private static String textOf(Object recorded) {
    return recorded instanceof String ? (String) recorded : ((StatementRecipe) recorded).preparedSql();
  }

  static SQLException unrestorable(String why) {
    return new SQLException("connguard: session state cannot be restored on a fresh connection: " + why);
  }
}
