package connguard.heal.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transaction log's bounds and lifecycle; no database. */
class TransactionLogTest {
  private static final Object STATEMENT = new Object();

  private static LoggedStatement add(TransactionLog log, long bytes) {
    return log.add(null, "executeUpdate()I", new Object[0], "count 1", bytes, STATEMENT);
  }

  @Test
  void keepsStatementsUpToTheStatementBound() {
    TransactionLog log = new TransactionLog(true, 2, 1 << 20);
    assertNotNull(add(log, 100));
    assertNotNull(add(log, 100));
    assertTrue(log.isReplayable());
    assertNull(add(log, 100), "the third is past transactionReplayMaxStatements=2");
    assertFalse(log.isReplayable());
    assertEquals(0, log.entries().size(), "entries dropped, memory freed");
    assertTrue(log.notReplayableReason().contains("transactionReplayMaxStatements"), log.notReplayableReason());
    assertNull(add(log, 1), "stays refused until the transaction ends");
  }

  @Test
  void refusesPastTheByteBound() {
    TransactionLog log = new TransactionLog(true, 1000, 1000);
    assertNotNull(add(log, 600));
    assertNull(add(log, 600));
    assertTrue(log.notReplayableReason().contains("transactionReplayMaxBytes"), log.notReplayableReason());
    assertEquals(0, log.approximateBytes());
  }

  @Test
  void theEndOfTheTransactionMakesTheNextOneReplayableAgain() {
    TransactionLog log = new TransactionLog(true, 1, 1000);
    add(log, 1);
    add(log, 1);
    assertFalse(log.isReplayable());
    int generation = log.generation();
    log.clear();
    assertTrue(log.isReplayable());
    assertTrue(log.generation() != generation, "taps of the old transaction's result sets stop counting");
    assertNotNull(add(log, 1));
  }

  @Test
  void firstReasonIsKept() {
    TransactionLog log = new TransactionLog(true, 10, 1000);
    log.refuse("it used a savepoint");
    log.refuse("something else");
    assertEquals("it used a savepoint", log.notReplayableReason());
  }

  @Test
  void withoutReplayOnlyWhetherItWroteIsKept() {
    TransactionLog log = new TransactionLog(false, 10, 1000);
    assertFalse(log.isRecording());
    assertNull(add(log, 1));
    assertEquals("transactionReplay=false", log.notReplayableReason());
    assertFalse(log.wrote());
    log.noteWrite(false);
    assertFalse(log.wrote());
    log.noteWrite(true);
    log.noteWrite(false);
    assertTrue(log.wrote());
    log.clear();
    assertFalse(log.wrote());
  }

  @Test
  void beginSqlIsKeptForTheReplayAndClearedWithTheTransaction() {
    TransactionLog log = new TransactionLog(true, 10, 1000);
    log.begin("BEGIN ISOLATION LEVEL SERIALIZABLE");
    assertEquals("BEGIN ISOLATION LEVEL SERIALIZABLE", log.beginSql());
    log.clear();
    assertNull(log.beginSql());
  }

  @Test
  void generatedKeysFindTheLatestEntryOfTheirStatement() {
    TransactionLog log = new TransactionLog(true, 10, 1000);
    Object other = new Object();
    LoggedStatement first = add(log, 1);
    log.add(null, "executeUpdate()I", new Object[0], "count 1", 1, other);
    assertEquals(first, log.lastRunOn(STATEMENT));
    LoggedStatement second = add(log, 1);
    assertEquals(second, log.lastRunOn(STATEMENT));
    assertNull(log.lastRunOn(new Object()));
  }
}
