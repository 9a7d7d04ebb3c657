package connguard.classify;

import static connguard.classify.Verdict.ALIVE;
import static connguard.classify.Verdict.DEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeadConnectionClassifierTest {

  private final DeadConnectionClassifier classifier = new DeadConnectionClassifier();

  /** name, failure, driverReportsClosed, expected. */
  static Stream<Arguments> table() {
    return Stream.of(
        // SQLState class 08: connection exception
        row("08000 connection exception", sql("08000", 0), false, DEAD),
        row("08001 cannot establish", sql("08001", 0), false, DEAD),
        row("08003 connection does not exist", sql("08003", 0), false, DEAD),
        row("08004 server rejected", sql("08004", 0), false, DEAD),
        row("08006 connection failure", sql("08006", 0), false, DEAD),
        row("08007 transaction resolution unknown", sql("08007", 0), false, DEAD),
        row("08S01 communication link failure", sql("08S01", 0), false, DEAD),
        row("08s01 lower case state", sql("08s01", 0), false, DEAD),
        row("08P01 protocol violation", sql("08P01", 0), false, DEAD),
        // PostgreSQL session ended by the server
        row("57P01 admin terminate", sql("57P01", 0), false, DEAD),
        row("57P02 crash shutdown", sql("57P02", 0), false, DEAD),
        row("57P03 cannot connect now", sql("57P03", 0), false, DEAD),
        row("57P04 database dropped", sql("57P04", 0), false, DEAD),
        row("57P05 idle session timeout", sql("57P05", 0), false, DEAD),
        row("25P03 idle in transaction timeout", sql("25P03", 0), false, DEAD),
        row("25P04 transaction timeout", sql("25P04", 0), false, DEAD),
        // MySQL / MariaDB vendor codes
        row("2006 gone away HY000", sql("HY000", 2006), false, DEAD),
        row("2006 gone away S1000", sql("S1000", 2006), false, DEAD),
        row("2013 lost during query HY000", sql("HY000", 2013), false, DEAD),
        row("2013 lost during query no state", sql(null, 2013), false, DEAD),
        row("2055 lost connection", sql("HY000", 2055), false, DEAD),
        row("4031 inactivity disconnect", sql("HY000", 4031), false, DEAD),
        row("1053 server shutdown", sql("HY000", 1053), false, DEAD),
        row("1927 connection killed 70100", sql("70100", 1927), false, DEAD),
        row("1317 query interrupted 70100", sql("70100", 1317), false, ALIVE),
        row("1205 lock wait timeout", sql("HY000", 1205), false, ALIVE),
        row("1213 deadlock", sql("40001", 1213), false, ALIVE),
        row("1062 duplicate key", sql("23000", 1062), false, ALIVE),
        row("ORA-01927 state 42000 is not MySQL", sql("42000", 1927), false, ALIVE),
        row("ORA-04031 state 72000 is not MySQL", sql("72000", 4031), false, ALIVE),
        // H2
        row("H2 90067 by state", sql("90067", 90067), false, DEAD),
        row("H2 90067 by code only", sql("HY000", 90067), false, DEAD),
        row("H2 90121 shutdown", sql("90121", 90121), false, DEAD),
        row("H2 42102 table not found", sql("42S02", 42102), false, ALIVE),
        // JDBC exception types
        row("SQLRecoverableException", new SQLRecoverableException("Io exception"), false, DEAD),
        row("SQLRecoverableException odd state", new SQLRecoverableException("x", "42000"), false, DEAD),
        row("SQLNonTransientConnectionException",
            new SQLNonTransientConnectionException("closed"), false, DEAD),
        row("subclass of SQLNonTransientConnectionException",
            new SQLNonTransientConnectionException("closed") { }, false, DEAD),
        row("SQLTransientConnectionException pool timeout",
            new SQLTransientConnectionException("request timed out after 30000ms"), false, ALIVE),
        row("SQLTransientConnectionException state 08",
            new SQLTransientConnectionException("x", "08001"), false, DEAD),
        row("SQLTimeoutException", new SQLTimeoutException("timeout", "57014"), false, ALIVE),
        // socket-level causes count only when the driver marks the connection closed
        row("EOF closed", new EOFException(), true, DEAD),
        row("EOF open", new EOFException(), false, ALIVE),
        row("SocketException closed", new SocketException("Connection reset"), true, DEAD),
        row("SocketException open", new SocketException("Connection reset"), false, ALIVE),
        row("ConnectException closed", new ConnectException("refused"), true, DEAD),
        row("SocketTimeoutException closed", new SocketTimeoutException("Read timed out"), true, DEAD),
        row("SocketTimeoutException open", new SocketTimeoutException("Read timed out"), false, ALIVE),
        row("InterruptedIOException closed", new InterruptedIOException(), true, ALIVE),
        row("IOException closed", new IOException("broken"), true, ALIVE),
        // statement-level failures: the connection is fine
        row("42601 syntax", sql("42601", 0), true, ALIVE),
        row("42P01 undefined table", sql("42P01", 0), false, ALIVE),
        row("23505 unique violation", sql("23505", 0), false, ALIVE),
        row("40001 serialization", sql("40001", 0), false, ALIVE),
        row("40P01 deadlock", sql("40P01", 0), false, ALIVE),
        row("57014 statement timeout", sql("57014", 0), false, ALIVE),
        row("55P03 lock not available", sql("55P03", 0), false, ALIVE),
        row("57P00 not a dead state", sql("57P00", 0), false, ALIVE),
        row("SQLSyntaxErrorException", new SQLSyntaxErrorException("bad", "42601"), false, ALIVE),
        row("constraint violation type",
            new SQLIntegrityConstraintViolationException("dup", "23505"), false, ALIVE),
        row("rollback type", new SQLTransactionRollbackException("deadlock", "40P01"), false, ALIVE),
        row("no state no code", new SQLException("?"), false, ALIVE),
        row("blank state", sql("  ", 0), false, ALIVE),
        row("runtime exception", new IllegalStateException("x"), true, ALIVE),
        row("null failure", null, true, ALIVE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void classifiesTheExceptionItself(String name, Throwable failure, boolean closed, Verdict expected) {
    assertEquals(expected, classifier.classify(failure, closed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void classifiesThroughThreeCauses(String name, Throwable failure, boolean closed, Verdict expected) {
    Throwable wrapped = new RuntimeException("pool", new SQLException("driver wrapper", "XX000",
        new IOException("io wrapper", failure)));
    assertEquals(expected, classifier.classify(wrapped, closed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void classifiesThroughNextExceptionChain(
      String name, Throwable failure, boolean closed, Verdict expected) {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "XX000", 0,
        new int[0]);
    batch.setNextException(new SQLException("entry 1", "XX000"));
    batch.setNextException(new SQLException("entry 2", "XX000", failure));
    assertEquals(expected, classifier.classify(batch, closed));
  }

  @Test
  void deadStateAsNextExceptionOfAnAliveOne() {
    SQLException top = new SQLException("batch aborted", "42601");
    top.setNextException(sql("57P01", 0));
    assertEquals(DEAD, classifier.classify(top, false));
  }

  @Test
  void onlyIdleSessionTimeoutProvesTheStatementNeverRan() {
    DeadConnectionClassifier c = new DeadConnectionClassifier();
    assertTrue(c.provesNotExecuted(sql("57P05", 0)));
    assertTrue(c.provesNotExecuted(new SQLException("I/O error", "08006", sql("57P05", 0))));
    assertFalse(c.provesNotExecuted(sql("57P01", 0)), "terminated mid-statement: it may have run");
    assertFalse(c.provesNotExecuted(sql("08006", 0)));
    assertFalse(c.provesNotExecuted(sql("25P03", 0)), "idle in transaction: the transaction is lost, not unsent");
    assertFalse(c.provesNotExecuted(null));
  }

  @Test
  void causeCycleEndsAlive() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);
    assertEquals(ALIVE, classifier.classify(a, true));
  }

  @Test
  void causeCycleStillFindsDeadNode() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    SQLException c = new SQLException("terminated", "57P01", b);
    a.initCause(c);
    assertEquals(DEAD, classifier.classify(a, false));
  }

  @Test
  void nextExceptionCycleEndsAlive() {
    SQLException a = sql("42601", 0);
    SQLException b = sql("23505", 0);
    a.setNextException(b);
    b.setNextException(a);
    assertEquals(ALIVE, classifier.classify(a, false));
  }

  @Test
  void selfReportedCauseEndsAlive() {
    SQLException loop = new SQLException("self", "XX000") {
      @Override
      public synchronized Throwable getCause() {
        return this;
      }
    };
    assertEquals(ALIVE, classifier.classify(loop, true));
  }

  @Test
  void deadNodeWithinTheBoundIsFound() {
    assertEquals(DEAD, classifier.classify(chain(DeadConnectionClassifier.MAX_NODES - 1), false));
  }

  @Test
  void deadNodeBeyondTheBoundIsNotLookedAt() {
    assertEquals(ALIVE, classifier.classify(chain(DeadConnectionClassifier.MAX_NODES), false));
  }

  @Test
  void transientConnectionExceptionHidesWhatItWraps() {
    // A pool timeout's cause is the last failure opening some other connection.
    Throwable poolTimeout = new SQLTransientConnectionException("timed out", null,
        sql("08001", 0));
    assertEquals(ALIVE, classifier.classify(poolTimeout, false));
  }

  @Test
  void describesStateAndFirstLine() {
    SQLException e = new SQLException(
        "terminating connection due to administrator command\n  Where: somewhere", "57P01");
    assertEquals("57P01 terminating connection due to administrator command",
        classifier.describe(new RuntimeException(e)));
  }

  @Test
  void describesVendorCode() {
    assertEquals("70100 (1927) Connection was killed",
        classifier.describe(new SQLException("Connection was killed", "70100", 1927)));
  }

  @Test
  void describesExceptionTypeWithoutState() {
    assertEquals("SQLRecoverableException: Closed Connection",
        classifier.describe(new SQLRecoverableException("Closed Connection")));
  }

  @Test
  void describesSocketCause() {
    Throwable f = new SQLException("An I/O error occurred", null,
        new SocketException("Connection reset"));
    assertEquals("SocketException: Connection reset", classifier.describe(f));
    assertNull(classifier.describe(f, false));
  }

  @Test
  void describeCutsLongMessages() {
    StringBuilder longMessage = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      longMessage.append("connection lost ");
    }
    String reason = classifier.describe(new SQLException(longMessage.toString(), "08006"));
    assertTrue(reason.length() <= 120, reason);
    assertTrue(reason.startsWith("08006 connection lost"), reason);
    assertTrue(reason.endsWith("..."), reason);
  }

  @Test
  void describeIsNullWhenAlive() {
    assertNull(classifier.describe(new SQLException("syntax error", "42601")));
    assertNull(classifier.describe(null));
  }

  @Test
  void describeWithoutMessage() {
    assertEquals("08003", classifier.describe(new SQLException(null, "08003")));
  }

  private static Arguments row(String name, Throwable failure, boolean closed, Verdict expected) {
    return Arguments.of(name, failure, closed, expected);
  }

  private static SQLException sql(String state, int code) {
    return new SQLException("state " + state + " code " + code, state, code);
  }

  /** depth wrappers around a 57P01 (the 57P01 is node number depth + 1). */
  private static Throwable chain(int depth) {
    Throwable t = sql("57P01", 0);
    for (int i = 0; i < depth; i++) {
      t = new RuntimeException("wrapper " + i, t);
    }
    return t;
  }

  /**
   * Read-only refusals as the drivers raise them (messages from the servers' own error lists):
   * a write on a standby or a read_only server, but not the app's own READ ONLY transaction on
   * MySQL (1792) nor another option that prevents a statement (1290 for secure_file_priv).
   * Never a dead connection: the connection is alive and its server answered.
   */
  @Test
  void readOnlyServersRefusalsAreToldApartFromOtherRefusals() {
    DeadConnectionClassifier c = new DeadConnectionClassifier();
    SQLException standby = new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006");
    SQLException mysqlReadOnly = new SQLException(
        "The MySQL server is running with the --read-only option so it cannot execute this statement", "HY000", 1290);
    SQLException mariaDbReadOnly = new SQLException("(conn=12) The MariaDB server is running with the --read-only"
        + " option so it cannot execute this statement", "HY000", 1290);
    SQLException superReadOnly = new SQLException(
        "The MySQL server is running with the --super-read-only option so it cannot execute this statement", "HY000", 1290);
    SQLException readOnlyMode = new SQLException("Running in read-only mode", "HY000", 1836);
    for (SQLException refusal : new SQLException[] {standby, mysqlReadOnly, mariaDbReadOnly, superReadOnly, readOnlyMode}) {
      assertTrue(c.refusedAsReadOnly(refusal), refusal.getMessage());
      assertTrue(c.refusedAsReadOnly(new RuntimeException("wrapped by a framework", refusal)), refusal.getMessage());
      assertEquals(ALIVE, c.classify(refusal, false), refusal.getMessage());
    }
    assertFalse(c.refusedAsReadOnly(new SQLException("Cannot execute statement in a READ ONLY transaction.", "25006", 1792)));
    assertFalse(c.refusedAsReadOnly(new SQLException(
        "The MySQL server is running with the --secure-file-priv option so it cannot execute this statement", "HY000", 1290)));
    assertFalse(c.refusedAsReadOnly(new SQLException("duplicate key value violates unique constraint", "23505")));
    assertFalse(c.refusedAsReadOnly(new SQLException("terminating connection due to administrator command", "57P01")));
    assertFalse(c.refusedAsReadOnly(null));
  }

  /** MariaDB Connector/J failed over by itself: alive, on another server, the call not run again. */
  @Test
  void aDriverThatReconnectedByItselfIsAliveAndSaysSo() {
    DeadConnectionClassifier c = new DeadConnectionClassifier();
    SQLException reconnected = new SQLTransientConnectionException("(conn=9) Driver has reconnect connection after a"
        + " communications link failure with address=(host=127.0.0.1)(port=3307)(type=primary)", "25S03");
    assertTrue(c.driverReconnected(reconnected));
    assertTrue(c.driverReconnected(new RuntimeException(reconnected)));
    assertEquals(ALIVE, c.classify(reconnected, false));
    assertFalse(c.driverReconnected(new SQLException("Communications link failure", "08S01")));
    assertFalse(c.driverReconnected(new SQLException("cannot execute INSERT in a read-only transaction", "25006")));
    assertFalse(c.refusedAsReadOnly(reconnected));
  }

  /** PostgreSQL after a refused write: the transaction is aborted and only a rollback is left. */
  @Test
  void anAbortedTransactionIsToldApartAndIsNotADeadConnection() {
    DeadConnectionClassifier c = new DeadConnectionClassifier();
    SQLException aborted = new SQLException(
        "ERROR: current transaction is aborted, commands ignored until end of transaction block", "25P02");
    assertTrue(c.inAbortedTransaction(aborted));
    assertTrue(c.inAbortedTransaction(new RuntimeException("wrapped", aborted)));
    assertEquals(ALIVE, c.classify(aborted, false));
    assertFalse(c.inAbortedTransaction(new SQLException("cannot execute INSERT in a read-only transaction", "25006")));
    assertFalse(c.inAbortedTransaction(new SQLException("idle-in-transaction timeout", "25P03")));
    assertFalse(c.inAbortedTransaction(new SQLException("Driver has reconnect connection", "25S03")));
    assertFalse(c.inAbortedTransaction(null));
  }
}
