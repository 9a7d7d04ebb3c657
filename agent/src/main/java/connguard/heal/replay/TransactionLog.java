package connguard.heal.replay;

import connguard.heal.call.OwnCalls;
import connguard.heal.recipe.StatementRecipe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the open transaction of one connection has run since it began (setAutoCommit(false) or
 * BEGIN), kept with transactionReplay=true so that a transaction lost with its connection can be
 * replayed and verified ({@link TransactionReplayer}). Bounded: past transactionReplayMaxStatements
 * or transactionReplayMaxBytes the entries are dropped and the transaction is not replayable,
 * with the reason kept for the error the app gets.
 *
 * <p>With only resolveCommitOutcome on, it records nothing but whether the transaction wrote.
 * Used by the one thread that uses the connection; not thread-safe.
 */
public final class TransactionLog {
  private final boolean recording;
  private final int maxStatements;
  private final long maxBytes;
  private final List<LoggedStatement> entries = new ArrayList<LoggedStatement>();
  /**
   * The Savepoint objects the app holds -> the same savepoints on the physical connection now.
   * Empty until a replay: then the app's (old connection's) savepoints stand for fresh ones.
   */
  private final Map<Object, Object> savepoints = new IdentityHashMap<Object, Object>();
  private long bytes;
  private String notReplayable;
  private boolean wrote;
  private String beginSql;
  private int generation;
  /**
   * Noted before COMMIT was sent: PostgreSQL's txid_current_if_assigned() (null: nothing written),
   * or on MySQL/MariaDB the token written into the user's token table ({@link #isCommitToken}).
   */
  private Long transactionId;
  private boolean transactionIdNoted;
  private boolean commitToken;

  public TransactionLog(boolean recording, int maxStatements, long maxBytes) {
    this.recording = recording;
    this.maxStatements = maxStatements;
    this.maxBytes = maxBytes;
    clear();
  }

  /** The transaction ended (commit, rollback, autocommit on) or a new one begins. */
  public void clear() {
    closeReplayResultSets();
    entries.clear();
    savepoints.clear();
    bytes = 0;
    notReplayable = recording ? null : "transactionReplay=false";
    wrote = false;
    beginSql = null;
    generation++;
    transactionId = null;
    transactionIdNoted = false;
    commitToken = false;
  }

  /** A BEGIN / START TRANSACTION statement opened the transaction: a replay sends it first. */
  public void begin(String sql) {
    clear();
    beginSql = sql;
  }

  String beginSql() {
    return beginSql;
  }

  boolean isRecording() {
    return recording && notReplayable == null;
  }

  boolean isReplayable() {
    return notReplayable == null;
  }

  /** Why this transaction cannot be replayed; null while it can. */
  String notReplayableReason() {
    return notReplayable;
  }

  /** Something ran that a replay cannot reproduce or verify: drop the entries, keep the first reason. */
  public void refuse(String reason) {
    if (notReplayable == null) {
      notReplayable = reason;
    }
    closeReplayResultSets();
    entries.clear();
    bytes = 0;
  }

  void noteWrite(boolean write) {
    wrote |= write;
  }

  /** Any statement of the transaction not a plain read (a batch, unknown SQL and CALL count as writes). */
  boolean wrote() {
    return wrote;
  }

  /** Taps of result sets read in an earlier transaction stop counting when this changes. */
  int generation() {
    return generation;
  }

  /**
   * Records an execute that succeeded; returns its entry, or null when the transaction is not
   * replayable (now or already). {@code recipe} is copied only when kept.
   */
  public LoggedStatement add(StatementRecipe recipe, String method, Object[] args, String outcome, long approxBytes,
                      Object appStatementOrSavepoint) {
    if (!isRecording()) {
      return null;
    }
    if (entries.size() >= maxStatements) {
      refuse("it ran more than " + maxStatements + " statements (transactionReplayMaxStatements)");
      return null;
    }
    bytes += approxBytes;
    if (bytes > maxBytes) {
      refuse("its statements and parameters exceed " + maxBytes + " bytes (transactionReplayMaxBytes)");
      return null;
    }
    LoggedStatement entry = new LoggedStatement(recipe == null ? null : recipe.snapshot(), method, args, outcome,
        appStatementOrSavepoint);
    entries.add(entry);
    return entry;
  }

  /** The replay's result sets kept open to compare the rows the app still reads; see LoggedStatement. */
  void closeReplayResultSets() {
    for (LoggedStatement entry : entries) {
      if (entry.replayStatement != null) {
        OwnCalls.close(entry.replayStatement);
      }
      entry.replayResultSet = null;
      entry.replayStatement = null;
    }
  }

  /** The latest entry run by {@code statement}, or null. */
  LoggedStatement lastRunOn(Object statement) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).appStatementOrSavepoint == statement) {
        return entries.get(i);
      }
    }
    return null;
  }

  /** Replay made {@code physical} for the savepoint the app holds as {@code app}. */
  void mapSavepoint(Object app, Object physical) {
    savepoints.put(app, physical);
  }

  /** A replay starts over: the savepoints of an earlier replay's connection are gone. */
  void forgetSavepoints() {
    savepoints.clear();
  }

  /**
   * The arguments of rollback(Savepoint)/releaseSavepoint(Savepoint) for the physical connection
   * now: the app's Savepoint replaced by its replay's; {@code args} itself when nothing maps.
   */
  public Object[] savepointArgs(Object[] args) {
    if (args == null || args.length != 1 || args[0] == null) {
      return args;
    }
    Object mapped = savepoints.get(args[0]);
    return mapped == null ? args : new Object[] {mapped};
  }

  List<LoggedStatement> entries() {
    return Collections.unmodifiableList(entries);
  }

  void transactionId(Long id) {
    transactionId = id;
    transactionIdNoted = true;
  }

  void commitToken(long token) {
    transactionId = token;
    transactionIdNoted = true;
    commitToken = true;
  }

  boolean isCommitToken() {
    return commitToken;
  }

  Long transactionId() {
    return transactionId;
  }

  public boolean isTransactionIdNoted() {
    return transactionIdNoted;
  }

  long approximateBytes() {
    return bytes;
  }
}
