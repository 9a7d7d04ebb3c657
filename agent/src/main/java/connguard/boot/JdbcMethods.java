package connguard.boot;

import connguard.bridge.MethodKind;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Type;

/**
 * Which {@link MethodKind} a java.sql method is, by name and arity: decided once at weaving time.
 * Returns -1 for methods left alone (none at present; the kind tables stay total).
 */
final class JdbcMethods {
  private static final Set<String> STATEMENT_SETTINGS = new HashSet<String>(Arrays.asList(
      "setFetchSize", "setMaxRows", "setLargeMaxRows", "setQueryTimeout", "setFetchDirection",
      "setMaxFieldSize", "setEscapeProcessing", "setCursorName", "setPoolable", "closeOnCompletion"));
  private static final Set<String> CONNECTION_SETTERS = new HashSet<String>(Arrays.asList(
      "setAutoCommit", "setReadOnly", "setTransactionIsolation", "setCatalog", "setSchema",
      "setHoldability", "setNetworkTimeout", "setClientInfo", "setTypeMap"));
  /** Getters of the session a dead connection answers only once healed (see MethodKind.CONN_GETTER). */
  private static final Set<String> CONNECTION_GETTERS = new HashSet<String>(Arrays.asList(
      "getAutoCommit", "isReadOnly", "getTransactionIsolation", "getCatalog", "getSchema",
      "getHoldability", "getNetworkTimeout", "getClientInfo", "getTypeMap", "getMetaData"));

  private JdbcMethods() {}

  /** The advice shapes, see {@link #adviceFor}. */
  static final int GENERAL = 0;
  static final int LONG_VALUE = 1;
  static final int DOUBLE_VALUE = 2;
  static final int OBJECT_VALUE = 3;

  /** The kind of a method of a class in {@code role}; -1: left alone. */
  static int kindOf(Role role, String name, String descriptor, boolean recordResults) {
    int arity = Type.getArgumentTypes(descriptor).length;
    switch (role) {
      case CONNECTION:
        return connectionKind(name, arity);
      case STATEMENT:
        return statementKind(name, arity, recordResults);
      default:
        return resultSetKind(name, arity);
    }
  }

  /**
   * A parameter setter {@code setX(int index, value)} binds its two arguments as they are (no
   * argument array, no box): {@link #LONG_VALUE} for integral values, {@link #DOUBLE_VALUE} for
   * floating ones, {@link #OBJECT_VALUE} for references and boolean (its boxes are cached);
   * everything else is {@link #GENERAL}.
   */
  static int adviceFor(String name, String descriptor, int kind) {
    Type[] parameters = Type.getArgumentTypes(descriptor);
    // registerOutParameter(int, int) has the shape too, but is recorded apart from the value set
    // at the same index (an INOUT parameter has both): the general advice keeps it so.
    if (MethodKind.operation(kind) != MethodKind.STMT_PARAM || !name.startsWith("set")
        || parameters.length != 2 || parameters[0].getSort() != Type.INT) {
      return GENERAL;
    }
    switch (parameters[1].getSort()) {
      case Type.INT: case Type.LONG: case Type.SHORT: case Type.BYTE:
        return LONG_VALUE;
      case Type.DOUBLE: case Type.FLOAT:
        return DOUBLE_VALUE;
      case Type.CHAR:
        return GENERAL;
      default:
        return OBJECT_VALUE;
    }
  }

  private static final int SAVEPOINT_CALL = MethodKind.CONN_SAVEPOINT | MethodKind.NEEDS_ARGS | MethodKind.NEEDS_RESULT;

  static int connectionKind(String name, int arity) {
    if (name.equals("createStatement") || name.equals("prepareStatement") || name.equals("prepareCall")) {
      // prepareStatement(sql) needs only its SQL: no argument array on the common path.
      return MethodKind.CONN_FACTORY | MethodKind.NEEDS_RESULT
          | (arity == 1 ? MethodKind.NEEDS_ARG0 : arity > 1 ? MethodKind.NEEDS_ARGS : 0);
    }
    if (CONNECTION_SETTERS.contains(name)) {
      return MethodKind.CONN_SETTER | MethodKind.NEEDS_ARGS;
    }
    if (name.equals("commit")) {
      return MethodKind.CONN_COMMIT;
    }
    // Savepoint calls are rare: their arguments and the Savepoint made are kept for a replay.
    if (name.equals("rollback")) {
      return arity == 0 ? MethodKind.CONN_ROLLBACK : SAVEPOINT_CALL;
    }
    if (name.equals("setSavepoint") || name.equals("releaseSavepoint")) {
      return SAVEPOINT_CALL;
    }
    if (name.equals("close") || name.equals("abort")) {
      return MethodKind.CONN_CLOSE;
    }
    if (name.equals("isValid")) {
      // Its answer may be replaced (false on a dead connection the agent heals: true), and its
      // timeout bounds that heal. Pools call it at borrow time only.
      return MethodKind.CONN_VALIDITY | MethodKind.EXIT_ON_SUCCESS | MethodKind.NEEDS_ARGS | MethodKind.NEEDS_RESULT;
    }
    if (name.equals("isClosed")) {
      return MethodKind.CONN_ISCLOSED;
    }
    if (CONNECTION_GETTERS.contains(name)) {
      return MethodKind.CONN_GETTER;
    }
    if (isWarnings(name, arity)) {
      return MethodKind.CONN_WARNINGS;
    }
    return MethodKind.CONN_OTHER;
  }

  /** Cursor moves other than next(), and writes through a result set: a replay cannot follow them. */
  private static final Set<String> RESULT_SET_UNFOLLOWED = new HashSet<String>(Arrays.asList(
      "previous", "absolute", "relative", "first", "last", "beforeFirst", "afterLast", "moveToInsertRow",
      "insertRow", "updateRow", "deleteRow", "refreshRow"));

  static int statementKind(String name, int arity) {
    return statementKind(name, arity, false);
  }

  /**
   * @param recordResults transactionReplay=true: executes hand over their result on success, and
   *     getGeneratedKeys is woven, so the transaction log can digest what the app saw
   */
  static int statementKind(String name, int arity, boolean recordResults) {
    if (recordResults && name.startsWith("execute")) {
      return MethodKind.STMT_EXECUTE | MethodKind.NEEDS_ARGS | MethodKind.NEEDS_RESULT;
    }
    if (recordResults && name.equals("getGeneratedKeys")) {
      return MethodKind.STMT_GENERATED_KEYS | MethodKind.NEEDS_RESULT;
    }
    if (name.startsWith("execute")) {
      // execute(String sql, ...) needs its SQL on success (SET/USE change the session), nothing more.
      return MethodKind.STMT_EXECUTE | (arity > 0 ? MethodKind.NEEDS_ARG0 : 0);
    }
    if (STATEMENT_SETTINGS.contains(name)) {
      return MethodKind.STMT_SETTING | MethodKind.NEEDS_ARGS;
    }
    if (name.equals("addBatch") || name.equals("clearBatch")) {
      return MethodKind.STMT_BATCH | MethodKind.NEEDS_ARGS;
    }
    if ((name.startsWith("set") && arity >= 2) || name.equals("clearParameters")
        || name.equals("registerOutParameter")) {
      return MethodKind.STMT_PARAM | MethodKind.NEEDS_ARGS;
    }
    if (name.equals("close")) {
      return MethodKind.STMT_CLOSE;
    }
    if (name.equals("getConnection")) {
      return MethodKind.STMT_GET_CONNECTION;
    }
    if (name.equals("isClosed")) {
      return MethodKind.STMT_ISCLOSED;
    }
    if (isWarnings(name, arity)) {
      return MethodKind.STMT_WARNINGS;
    }
    return MethodKind.STMT_OTHER;
  }

  /**
   * getWarnings() and clearWarnings(): frameworks call them on the way out of every unit of work
   * (Hibernate's release, HikariCP's return), also after an error the agent surfaced.
   */
  private static boolean isWarnings(String name, int arity) {
    return arity == 0 && (name.equals("getWarnings") || name.equals("clearWarnings"));
  }

  /** ResultSet methods woven with transactionReplay=true; -1: left alone. */
  static int resultSetKind(String name, int arity) {
    if (name.equals("next") && arity == 0) {
      return MethodKind.RS_NEXT | MethodKind.NEEDS_RESULT | MethodKind.EXIT_ON_SUCCESS;
    }
    return RESULT_SET_UNFOLLOWED.contains(name) ? MethodKind.RS_UNFOLLOWED : -1;
  }
}
