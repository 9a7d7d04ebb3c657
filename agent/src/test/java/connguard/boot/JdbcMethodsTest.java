package connguard.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import connguard.bridge.MethodKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcMethodsTest {
  private static final int ARGS = MethodKind.NEEDS_ARGS;
  private static final int RESULT = MethodKind.NEEDS_RESULT;
  private static final int ARG0 = MethodKind.NEEDS_ARG0;

  @ParameterizedTest(name = "Connection.{0}/{1}")
  @CsvSource({
      "createStatement,0,1", "prepareStatement,1,1", "prepareStatement,3,1", "prepareCall,1,1",
      "setAutoCommit,1,2", "setReadOnly,1,2", "setTransactionIsolation,1,2", "setSchema,1,2",
      "setCatalog,1,2", "setNetworkTimeout,2,2", "setClientInfo,2,2", "setHoldability,1,2",
      "commit,0,3", "rollback,0,4", "rollback,1,8", "setSavepoint,0,8", "releaseSavepoint,1,8",
      "close,0,5", "abort,1,5", "isValid,1,6", "isClosed,0,7",
      "getAutoCommit,0,10", "getMetaData,0,10", "isReadOnly,0,10", "getTransactionIsolation,0,10",
      "getSchema,0,10", "nativeSQL,1,9", "unwrap,1,9", "isWrapperFor,1,9", "getWarnings,0,11", "clearWarnings,0,11"})
  void connectionMethods(String name, int arity, int operation) {
    int kind = JdbcMethods.connectionKind(name, arity);
    assertEquals(operation, kind < 0 ? -1 : MethodKind.operation(kind));
  }

  @ParameterizedTest(name = "Statement.{0}/{1}")
  @CsvSource({
      "executeQuery,0,16", "executeQuery,1,16", "execute,2,16", "executeUpdate,1,16", "executeBatch,0,16",
      "executeLargeUpdate,1,16", "executeLargeBatch,0,16",
      "setInt,2,17", "setString,2,17", "setObject,3,17", "setNull,2,17", "setBinaryStream,3,17",
      "clearParameters,0,17", "registerOutParameter,2,17",
      "setFetchSize,1,18", "setMaxRows,1,18", "setQueryTimeout,1,18", "setEscapeProcessing,1,18",
      "addBatch,0,19", "addBatch,1,19", "clearBatch,0,19", "close,0,20", "getConnection,0,21", "isClosed,0,24",
      "getResultSet,0,22", "getUpdateCount,0,22", "cancel,0,22", "getGeneratedKeys,0,22",
      "unwrap,1,22", "isWrapperFor,1,22", "getWarnings,0,25", "clearWarnings,0,25"})
  void statementMethods(String name, int arity, int operation) {
    int kind = JdbcMethods.statementKind(name, arity);
    assertEquals(operation, kind < 0 ? -1 : MethodKind.operation(kind));
  }

  @ParameterizedTest(name = "{0}/{1} hands over {2}")
  @CsvSource({
      // Recording needs arguments on success; a plain execute or getter must allocate nothing,
      // and execute(sql) only its SQL (1024), not an argument array (256).
      "executeQuery,0,0", "executeQuery,1,1024", "executeUpdate,2,1024", "setInt,2,256", "addBatch,0,256", "getResultSet,0,0",
      "close,0,0"})
  void statementArgumentsAreHandedOverOnlyWhereRecorded(String name, int arity, int flags) {
    assertEquals(flags, JdbcMethods.statementKind(name, arity) & (ARGS | RESULT | ARG0));
  }

  @ParameterizedTest(name = "{0}/{1} hands over {2}")
  @CsvSource({"prepareStatement,1,1536", "prepareStatement,2,768", "createStatement,0,512", "setAutoCommit,1,256", "commit,0,0", "getAutoCommit,0,0",
      "isValid,1,768"})
  void connectionArgumentsAndResultsAreHandedOverOnlyWhereRecorded(String name, int arity, int flags) {
    assertEquals(flags, JdbcMethods.connectionKind(name, arity) & (ARGS | RESULT | ARG0));
  }

  @ParameterizedTest(name = "with transactionReplay {0}/{1} is {2} and hands over {3}")
  @CsvSource({
      // executes hand over their result (update counts, the ResultSet) so the log can digest it
      "executeQuery,0,16,768", "executeUpdate,1,16,768", "executeBatch,0,16,768",
      "getGeneratedKeys,0,23,512", "getResultSet,0,22,0", "setInt,2,17,256"})
  void transactionReplayWeavesResultsOfExecutes(String name, int arity, int operation, int flags) {
    int kind = JdbcMethods.statementKind(name, arity, true);
    assertEquals(operation, MethodKind.operation(kind));
    assertEquals(flags, kind & (ARGS | RESULT));
  }

  @ParameterizedTest(name = "ResultSet.{0}/{1}")
  @CsvSource({"next,0,32", "absolute,1,33", "previous,0,33", "updateRow,0,33", "insertRow,0,33",
      "getString,1,-1", "getObject,1,-1", "close,0,-1", "wasNull,0,-1"})
  void resultSetMethods(String name, int arity, int operation) {
    int kind = JdbcMethods.resultSetKind(name, arity);
    assertEquals(operation, kind < 0 ? -1 : MethodKind.operation(kind));
  }
}
