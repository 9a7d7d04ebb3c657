package connguard.bridge;

/**
 * What a woven method is, decided once when the class is woven and bound into the advice as a
 * constant, so the hot path never looks at method names. Low byte: the operation; higher bits:
 * what the exit advice must hand over.
 */
public final class MethodKind {
  private MethodKind() {}

  public static final int OPERATION = 0xff;
  /** The exit advice passes the method's arguments even on success (recording). */
  public static final int NEEDS_ARGS = 1 << 8;
  /** The exit advice passes the method's result even on success (e.g. a new Statement). */
  public static final int NEEDS_RESULT = 1 << 9;
  /** The exit advice passes the first argument (only) on success: the SQL of execute(sql), prepareStatement(sql). */
  public static final int NEEDS_ARG0 = 1 << 10;
  /**
   * Even on success the exit advice takes the full path ({@code Hooks.exit}), because the guard may
   * replace the outcome: ResultSet.next() after a replay whose rows have changed throws.
   */
  public static final int EXIT_ON_SUCCESS = 1 << 11;

  // Connection
  public static final int CONN_FACTORY = 1;     // createStatement, prepareStatement, prepareCall
  public static final int CONN_SETTER = 2;      // setAutoCommit, setReadOnly, setSchema ... session state
  public static final int CONN_COMMIT = 3;
  public static final int CONN_ROLLBACK = 4;    // rollback()
  public static final int CONN_CLOSE = 5;       // close, abort: the app wants it dead
  public static final int CONN_VALIDITY = 6;    // isValid: a connection found dead is healed within its timeout
  public static final int CONN_ISCLOSED = 7;    // false while the agent can heal it: only the app closes it
  public static final int CONN_SAVEPOINT = 8;   // setSavepoint, releaseSavepoint, rollback(Savepoint)
  public static final int CONN_OTHER = 9;       // the rest: forwarded only
  public static final int CONN_GETTER = 10;     // getAutoCommit, getMetaData ...: a dead connection is healed first
  public static final int CONN_WARNINGS = 11;   // getWarnings, clearWarnings: a dead connection has none, and no error
  // Statement, PreparedStatement, CallableStatement
  public static final int STMT_EXECUTE = 16;
  public static final int STMT_PARAM = 17;      // setInt, setString, ..., clearParameters, registerOutParameter
  public static final int STMT_SETTING = 18;    // setFetchSize, setMaxRows, setQueryTimeout, ...
  public static final int STMT_BATCH = 19;      // addBatch, clearBatch
  public static final int STMT_CLOSE = 20;
  public static final int STMT_GET_CONNECTION = 21;
  public static final int STMT_OTHER = 22;
  public static final int STMT_GENERATED_KEYS = 23;  // getGeneratedKeys: woven so only with transactionReplay
  public static final int STMT_ISCLOSED = 24;   // false while its connection can be healed: only the app closes it
  public static final int STMT_WARNINGS = 25;   // getWarnings, clearWarnings: as CONN_WARNINGS
  // ResultSet: woven only with transactionReplay, to digest the rows a recorded transaction read
  public static final int RS_NEXT = 32;
  public static final int RS_UNFOLLOWED = 33;   // scrolling and updating: a replay cannot follow these

  public static int operation(int kind) {
    return kind & OPERATION;
  }
}
