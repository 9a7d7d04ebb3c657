package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.Guarded;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.bridge.Skip;
import connguard.heal.call.OwnCalls;
import connguard.heal.check.ServerRole;
import connguard.heal.check.UseCheck;
import connguard.heal.recipe.PlaceholderCounts;
import connguard.heal.replay.CommitOutcome;
import connguard.heal.replay.LoggedStatement;
import connguard.heal.replay.TransactionLog;
import connguard.heal.replay.TransactionReplayer;
import connguard.log.EventLines;
import connguard.log.Log;
import connguard.metrics.Events;
import connguard.metrics.ServerTags;
import connguard.stats.Counts;
import connguard.policy.FunctionCatalog;
import connguard.policy.SessionSql;
import connguard.policy.SqlFacts;
import connguard.policy.SqlKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The connection the app holds, as the agent sees it: the app's own driver object ({@link #owner})
 * and the physical connection doing the work now (the owner until it dies, then its replacement).
 * Tracks what a replacement needs: how to connect, session settings, transaction progress.
 *
 * <p>Threading: a JDBC connection is used by one thread at a time; heals are synchronized so
 * that two threads finding it dead open one replacement, not two.
 */
public final class LogicalConnection extends Guard {
  /** isClosed() while the physical is dead and a heal is pending: only the app closes its connection. */
  private static final Skip STILL_OPEN = new Skip();
  /** isValid(t) on a connection known dead: heal it within t, and answer whether that worked. */
  private static final Skip VALIDATE_BY_HEALING = new Skip();
  /** A session setter on a dead connection outside a transaction: recorded, applied by the heal. */
  private static final Skip RECORD_SETTER = new Skip();
  /** beforeUse: the session cannot be restored; the connection stays as the driver left it (closed). */
  private static final Object AS_THE_DRIVER_LEFT_IT = new Object();

  public final long id;
  final Object owner;
  public final ConnectionFactory factory;
  public final GuardContext ctx;
  /** Where it goes, for the app's metrics and span events; {@link ServerTags#UNKNOWN} unless metrics=auto. */
  final ServerTags server;
  /**
   * What the agent does to this connection counts here: its server's counters, looked up once, so
   * a counting site (a failure, a heal) is one increment and no lookup.
   */
  public final Counts counts;
  final SessionState session = new SessionState();
  /** The URL turns on the driver's own failover: no idle validation or maxAge of ours to pre-empt it. */
  final boolean driverFailsOver;

  public volatile Object physical;
  /** {@link #sqlCatalog()}'s answer, kept once it came from the server; racy reads see null or one. */
  private FunctionCatalog catalog;
  private volatile Forward forward;          // null while physical == owner
  /**
   * Plain, not volatile: written on every round trip by the thread using the connection, where a
   * volatile write would cost a full fence; the only other reader is the OldestIdleMillis gauge,
   * for which a value a few calls old is fine.
   */
  private long lastUsedNanos;
  private volatile long physicalBornNanos;
  private volatile boolean knownDead;
  private volatile Object closedByUs;        // a physical we closed before anything more was sent on it
  /** The app closed or aborted it: never heal it again, and close whatever replaced its physical. */
  private volatile boolean closed;
  /** State was lost that cannot be restored: every call goes to the driver's closed objects. */
  private volatile String unusableReason;

  /** Only the outermost call on a thread validates or heals: see {@link CallDepth}. */
  private final CallDepth calls = new CallDepth();
  /** SQL strings found not to change the session, most recent first; see mayChangeSessionCached. */
  private final String[] sessionFreeSql = new String[SESSION_FREE_SLOTS];
  private static final int SESSION_FREE_SLOTS = 4;
  private PlaceholderCounts placeholders;     // made on the first statement that records a parameter

  /** Read on every statement's success path; see {@link TransactionState}. */
  public final TransactionState transaction = new TransactionState();
  private boolean sessionPinned;             // temp table, cursor, LISTEN, prepared transaction ...
  /** Session locks held (advisory locks, GET_LOCK): taken minus released, as the SQL said. */
  private int sessionLocks;
  int openStatements;
  /** transactionReplay or resolveCommitOutcome: what the open transaction ran; else null. */
  public final TransactionLog log;
  /**
   * The id of the thread closing a physical we gave up, 0 otherwise (see {@link #closeOwn}): the
   * driver's own calls meanwhile, on this connection or its statements, pass unguarded. A field,
   * not the ThreadLocal {@link OwnCalls} keeps: every close reads it (a ThreadLocal read was 20%
   * of an H2 prepareStatement + close cycle).
   */
  private long closingOwnThread;
  /** When the current isValid(t) began (only isValid writes it): its heal gets what is left of t. */
  private volatile long validityStartedNanos;

  LogicalConnection(GuardContext ctx, Object owner, ConnectionFactory factory) {
    this.ctx = ctx;
    this.owner = owner;
    this.factory = factory;
    this.physical = owner;
    this.driverFailsOver = factory.driverFailsOver();
    this.transaction.autoCommit = readAutoCommit(owner);
    this.log = ctx.options.transactionReplay() || ctx.options.resolveCommitOutcome()
        ? new TransactionLog(ctx.options.transactionReplay(), ctx.options.transactionReplayMaxStatements(),
            ctx.options.transactionReplayMaxBytes())
        : null;
    this.server = ctx.serverOf(factory);
    this.counts = ctx.stats.countsOf(server);
    this.id = ctx.register(factory, counts);
    long now = CoarseClock.nanoTime();
    this.lastUsedNanos = now;
    this.physicalBornNanos = now;
    ctx.opened(this);
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  /**
   * Kept small on purpose: the hot cases are a switch and a call, the rare ones live in methods of
   * their own, so this method stays inlined where the bridge calls it (its bytecode grew from 167
   * to 309 bytes with isValid/isClosed/getter handling, and the paired H2 benchmarks moved).
   */
  @Override protected Object enter(int kind) {
    if (isClosingOwn()) {
      return null;      // the driver's own calls while we close a physical we gave up (see closeOwn)
    }
    switch (MethodKind.operation(kind)) {
      case MethodKind.CONN_FACTORY:
      case MethodKind.CONN_SETTER:
      case MethodKind.CONN_ROLLBACK:
      case MethodKind.CONN_SAVEPOINT:
        return beginRoundTrip(kind, null);
      case MethodKind.CONN_COMMIT:
        return enterCommit(kind);
      case MethodKind.CONN_VALIDITY:
        return enterValidity();
      case MethodKind.CONN_ISCLOSED:
        return enterIsClosed();
      case MethodKind.CONN_GETTER:
        return enterGetter(kind);
      case MethodKind.CONN_CLOSE:
        return enterClose();
      case MethodKind.CONN_WARNINGS:
        return knownDead && isHealable() ? NO_WARNINGS : forward;
      default:
        return forward;
    }
  }

  private Object enterCommit(int kind) {
    Object token = beginRoundTrip(kind, null);
    if (log != null && (token == this || token instanceof Forward)) {
      // Outermost, about to send COMMIT: on the app's own object (depth counted, its nested
      // calls unguarded) or on a replacement (never guarded).
      CommitOutcome.beforeCommit(this);
    }
    return token;
  }

  private Object enterValidity() {
    if (closed || unusableReason != null) {
      return forward;                              // the driver's answer: not valid
    }
    long me = Thread.currentThread().getId();
    validityStartedNanos = System.nanoTime();      // isValid(t)'s t covers the driver's check and a heal
    if (knownDead && mayHealOnThisCall(me)) {
      return VALIDATE_BY_HEALING;
    }
    Forward f = forward;
    if (f != null) {
      return f;
    }
    calls.enter(me);         // its internal probe never heals (see afterValidity for its answer)
    return this;
  }

  private Object enterIsClosed() {
    // The agent's own isClosedQuietly wants the driver's truth about the physical.
    return isHealable() && knownDead && !OwnCalls.active() ? STILL_OPEN : forward;
  }

  private Object enterGetter(int kind) {
    // Many drivers ask the server (pgjdbc's getTransactionIsolation, getMetaData's queries):
    // a round trip like any other, validated after idling and recovered when it fails.
    if (knownDead && isHealable() && mayHealOnThisCall(Thread.currentThread().getId())) {
      return healBeforeGetter();
    }
    return beginRoundTrip(kind, null);
  }

  /** The app's own outermost call on thread {@code me}: not a driver-internal one, not the agent's. */
  private boolean mayHealOnThisCall(long me) {
    return !calls.isInside(me) && !OwnCalls.active();
  }

  private Object enterClose() {
    // close() and abort(): the app wants it dead. Nothing heals it from here on (Recovery and
    // heal check the flag), and a replacement made meanwhile is closed with it.
    if (closed) {
      // Closed again: by the app (a no-op on the owner), or by our own forwarded close, which
      // closes the replacement and then the owner through this very method (see Guard.exit).
      return null;
    }
    closed = true;
    ctx.stats.openConnections.decrement();
    ctx.closed(this);
    return forward;
  }

  /**
   * Start of a call that talks to the server. Only the outermost guarded call on this thread
   * stamps, validates or heals; the common case is a depth check, a clock read and a compare.
   */
  Object beginRoundTrip(int kind, LogicalStatement statement) {
    if (closed) {
      return null;
    }
    long me = Thread.currentThread().getId();
    if (calls.isInside(me)) {
      calls.nest();
      return NESTED;
    }
    long now = CoarseClock.nanoTime();
    long idleNanos = now - lastUsedNanos;
    lastUsedNanos = now;
    if (UseCheck.isDue(idleNanos, now - physicalBornNanos, ctx.validateIdleAfterNanos, ctx.maxAgeNanos)
        || knownDead || transaction.lost || unusableReason != null) {
      Object refusal = beforeUse(kind, statement, idleNanos, now);
      if (refusal != null) {
        return refusal == AS_THE_DRIVER_LEFT_IT ? null : refusal;
      }
    }
    Object token = statement == null ? (forward != null ? forward : this) : statement.tokenForUse();
    if (!(token instanceof Skip)) {
      calls.enter(me);
    }
    return token;
  }

  /** Inside a guarded call of this connection on this thread: a driver-internal call. */
  boolean inCallOnThisThread() {
    return calls.isInside(Thread.currentThread().getId());
  }

  /** The end of a counted call, or of one {@link #beginRoundTrip} returned {@link #NESTED} for. */
  void leaveCall() {
    calls.leave(Thread.currentThread().getId());
  }

  /** The slow part of {@link #beginRoundTrip}: refuse, validate, heal or recycle before anything is sent. */
  private synchronized Object beforeUse(int kind, LogicalStatement statement, long idleNanos, long now) {
    int operation = MethodKind.operation(kind);
    if (unusableReason != null) {
      return AS_THE_DRIVER_LEFT_IT;
    }
    if (transaction.lost && UseCheck.refusedInLostTransaction(operation)) {
      return new Refusal(transactionLostError());
    }
    boolean dead = knownDead;
    if (!dead && UseCheck.validates(idleNanos, ctx.validateIdleAfterNanos, driverFailsOver)) {
      dead = !ctx.validator.isAlive(physical);
      if (dead) {
        counts.validationsFailed.increment();
        counts.deadConnectionsDetected.increment();
        String line = "connection #" + id + " to " + factory + " failed validation after "
            + (idleNanos / 1_000_000) + " ms idle";
        if (ctx.dryRun) {
          report(Events.DRY_RUN, "connguard: [dry run] " + line + "; would replace it before use (nothing done)");
          return null;
        }
        // Closed before this call sends anything: whatever fails on it now was provably never sent.
        closedByUs = physical;
        markDead(physical);
        report(Events.RECONNECTED, "connguard: " + line + "; replacing it before use");
      }
    }
    if (dead) {
      if (operation == MethodKind.CONN_ROLLBACK) {
        // The server dropped the transaction with the connection: nothing to send, nothing to wait
        // for. The next call that needs the server heals.
        clearTransaction();
        return DONE;
      }
      if (operation == MethodKind.CONN_SETTER && transaction.work == 0 && !transaction.lost) {
        return RECORD_SETTER;       // no server needed: the heal applies it with the session
      }
      try {
        heal("found dead before use", true);
      } catch (SQLException noConnection) {
        return unusableReason != null ? AS_THE_DRIVER_LEFT_IT : new Refusal(noConnection);
      }
      if (transaction.lost && UseCheck.refusedInLostTransaction(operation)) {
        // Lost just now (not replayed): this call must not start a new transaction on the fresh one.
        return new Refusal(transactionLostError());
      }
      return null;
    }
    if (UseCheck.recycles(now - physicalBornNanos, ctx.maxAgeNanos, driverFailsOver) && isAtSafePoint(statement)) {
      if (ctx.dryRun) {
        physicalBornNanos = now;      // say it once per maxAge, not on every call
        report(Events.DRY_RUN, "connguard: [dry run] connection #" + id + " to " + factory + " reached maxAge; would replace it");
      } else {
        recycle();
      }
    }
    return null;
  }

  @Override protected Object owner() {
    return owner;
  }

  @Override protected LogicalConnection connection() {
    return this;
  }

  @Override protected boolean countsDepth(int operation) {
    return true;      // enter returns this only for round trips and isValid, both counted
  }

  @Override protected boolean isClose(int operation) {
    return operation == MethodKind.CONN_CLOSE;
  }

  /** A savepoint call for the physical connection now: the app's Savepoint stands for the replay's. */
  @Override protected Object[] argsForPhysical(int operation, Object[] args) {
    return operation == MethodKind.CONN_SAVEPOINT && log != null ? log.savepointArgs(args) : args;
  }

  @Override protected Throwable refuseForwarded(int operation, String method, Object[] args) {
    // setAutoCommit(true) commits: after a lost transaction there is nothing left to commit.
    return operation == MethodKind.CONN_SETTER && transaction.lost && enablesAutoCommit(method, args)
        ? transactionLostError() : null;
  }

  @Override protected Object afterCall(int kind, String method, Object[] args, Object result, Throwable thrown, boolean forwarded) {
    int operation = MethodKind.operation(kind);
    if (operation == MethodKind.CONN_VALIDITY) {
      return afterValidity(args, result, thrown, forwarded);
    }
    if (thrown == null) {
      afterSuccess(operation, method, args, result);
      return forwarded ? result : Hooks.UNCHANGED;
    }
    if (isRoundTrip(operation)) {
      return Recovery.recover(this, null, kind, method, args, thrown);
    }
    noteFailure(thrown);
    return forwarded ? new Failure(thrown) : Hooks.UNCHANGED;
  }

  @Override protected Object answerSkipped(Object token, int kind, String method, Object[] args) {
    if (token == STILL_OPEN) {
      return Boolean.FALSE;
    }
    if (token == VALIDATE_BY_HEALING) {
      return validityAfterHeal(args, "isValid() found it dead");
    }
    if (token == RECORD_SETTER) {
      afterSuccess(MethodKind.CONN_SETTER, method, args, null);
      return Hooks.UNCHANGED;
    }
    if (token instanceof Unreachable) {
      // getAutoCommit() is the agent's own bookkeeping; the others need the server.
      return method.startsWith("getAutoCommit(") ? Boolean.valueOf(transaction.autoCommit)
          : new Failure(((Unreachable) token).error);
    }
    return Hooks.UNCHANGED;
  }

  /**
   * isValid(t) ran on the physical: a "false" on a connection the app did not close means the
   * physical is dead. Heal it within {@code t} and answer whether that worked; never throw for it.
   * The agent's own validation (OwnCalls) and a driver's nested isValid take the driver's answer.
   */
  private Object afterValidity(Object[] args, Object result, Throwable thrown, boolean forwarded) {
    boolean valid = thrown == null && Boolean.TRUE.equals(result);
    if (valid || thrown != null || closed || unusableReason != null || ctx.dryRun || OwnCalls.active()
        || inCallOnThisThread()) {
      return thrown != null ? (forwarded ? new Failure(thrown) : Hooks.UNCHANGED) : (forwarded ? result : Hooks.UNCHANGED);
    }
    counts.deadConnectionsDetected.increment();
    counts.validationsFailed.increment();
    markDead(physical);
    return validityAfterHeal(args, "isValid() answered false");
  }

  /** Heals a dead connection within isValid's timeout ({@code args[0]} seconds; 0: retryWindow). */
  private Object validityAfterHeal(Object[] args, String why) {
    int seconds = args != null && args.length > 0 && args[0] instanceof Integer ? (Integer) args[0] : 0;
    if (seconds < 0) {
      return new Failure(new SQLException("connguard: isValid timeout " + seconds + " < 0", "22023"));
    }
    long started = System.nanoTime();
    long budget = seconds == 0 ? Long.MAX_VALUE
        : TimeUnit.SECONDS.toNanos(seconds) - (started - validityStartedNanos);
    if (budget <= 0) {
      return Boolean.FALSE;         // the driver's own check used up t; the next call heals
    }
    try {
      synchronized (this) {
        if (!knownDead) {
          return Boolean.TRUE;      // healed by another thread meanwhile
        }
        heal(why, true, budget);
      }
    } catch (SQLException noConnection) {
      Log.debug("connguard: connection #" + id + ": " + why + "; no fresh connection within isValid's timeout: "
          + Recovery.briefly(noConnection));
      return Boolean.FALSE;
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    report(Events.RECONNECTED, "connguard: connection #" + id + " to " + factory + ": " + why
        + "; reconnected and restored the session in " + tookMillis + " ms", tookMillis);
    return Boolean.TRUE;
  }

  /** A session getter on a dead connection: heal first, or answer what needs no server. */
  private synchronized Object healBeforeGetter() {
    if (knownDead) {
      try {
        heal("found dead before use", true);
      } catch (SQLException noConnection) {
        return unusableReason != null ? forward : new Unreachable(noConnection);
      }
    }
    return forward;
  }

  /** A getter found the connection dead and no fresh one: {@link #answerSkipped} decides. */
  private static final class Unreachable extends Skip {
    final SQLException error;

    Unreachable(SQLException error) {
      this.error = error;
    }
  }

  @Override protected void recordSuccess(int operation, String method, Object[] args, Object arg0, Object result) {
    if (operation == MethodKind.CONN_FACTORY) {
      guardStatement(method, args, arg0, result);     // prepareStatement(sql) passes arg0 only
    } else {
      afterSuccess(operation, method, args, result);
    }
  }

  /** Bookkeeping after a call succeeded (first time or re-executed). */
  void afterSuccess(int operation, String method, Object[] args, Object result) {
    switch (operation) {
      case MethodKind.CONN_FACTORY:
        guardStatement(method, args, null, result);
        break;
      case MethodKind.CONN_SETTER:
        session.recordSetter(method, args);
        if (method.startsWith("setAutoCommit")) {
          boolean on = Boolean.TRUE.equals(args[0]);
          if (on && !transaction.autoCommit) {
            clearTransaction();     // JDBC: switching autocommit on commits the open transaction
          }
          transaction.autoCommit = on;
        }
        break;
      case MethodKind.CONN_COMMIT:
      case MethodKind.CONN_ROLLBACK:
        clearTransaction();
        break;
      case MethodKind.CONN_SAVEPOINT:
        transaction.work++;
        if (log != null && !isAutoCommitEffective()) {
          // Replayed in order; the Savepoint the app got (setSavepoint's result) is the key by
          // which its later rollback(Savepoint)/releaseSavepoint find the replay's savepoint.
          log.add(null, method, args, LoggedStatement.SAVEPOINT, 64, result);
        }
        break;
      default:
        break;
    }
  }

  /** A new statement of this connection: attach its state, which knows how to make it again. */
  private void guardStatement(String method, Object[] args, Object arg0, Object result) {
    if (result == null) {
      return;
    }
    // One type check per factory method (see States.ifPreparedIsGuarded), told apart by a letter:
    // "createStatement(...", "prepareStatement(...", "prepareCall(..." (startsWith cost 2 ns).
    Guarded guarded = method.charAt(0) == 'c' ? States.ifCreatedIsGuarded(result)
        : method.length() > 7 && method.charAt(7) == 'S' ? States.ifPreparedIsGuarded(result)
        : States.ifCallableIsGuarded(result);
    if (guarded != null) {
      if (guarded.connguard$state() == null) {
        guarded.connguard$state(new LogicalStatement(result, this, method, args, arg0, physical));
        openStatements++;
      }
    } else if (States.of(result) == null) {
      States.attach(result, new LogicalStatement(result, this, method, args, arg0, physical));
      openStatements++;
    }
  }

  /** After a statement of this connection succeeded: transaction progress and session changes. */
  /** @param prepared the prepared statement that ran {@code sql}, null for Statement.execute(sql) */
  void afterStatement(String sql, boolean mayChangeSession, LogicalStatement prepared) {
    transaction.countStatement();
    if (sql == null || !mayChangeSession) {
      return;
    }
    SqlFacts facts = SqlFacts.of(sql, sqlCatalog());
    switch (facts.kind()) {
      case TX_BEGIN:
        transaction.openedBySql = true;
        transaction.work = 0;
        if (log != null) {
          log.begin(sql);
        }
        break;
      case TX_COMMIT:
      case TX_ROLLBACK:
        clearTransaction();
        break;
      default:
        break;
    }
    if (facts.restoresSession()) {
      if (placeholders().of(sql) == 0) {
        session.recordSql(sql);
      } else if (prepared != null) {
        session.recordPrepared(prepared.recipe().snapshot());    // run again with its parameters
      } else {
        sessionPinned = true;       // parameters nobody recorded: no faithful replay
      }
    }
    if (facts.clearsSession()) {
      session.clearSql();
    }
    if (facts.pinsSession()) {
      if (!sessionPinned && Log.isDebug()) {
        Log.debug("connguard: connection #" + id + " holds session state a fresh connection cannot be given from now on: "
            + (sql.length() > 120 ? sql.substring(0, 120) + "..." : sql));
      }
      sessionPinned = true;
    }
    int locks = facts.sessionLockChange();
    if (locks != 0) {
      sessionLocks = locks == SqlFacts.RELEASES_ALL_LOCKS ? 0 : Math.max(0, sessionLocks + locks);
    }
  }

  /** State a fresh connection cannot be given: a pin, or a session lock still held. */
  boolean isSessionPinned() {
    return sessionPinned || sessionLocks > 0;
  }

  /**
   * The server's SQL for reading this connection's statements: its catalog once {@link SelfTuner}
   * read it, until then the built-in lists of its driver's dialect. Only statements that may change
   * the session and failed calls pay for it.
   */
  public FunctionCatalog sqlCatalog() {
    FunctionCatalog known = catalog;
    if (known == null || !known.isFromServer()) {
      known = ctx.catalogFor(factory, physical);
      catalog = known;
    }
    return known;
  }

  static boolean mayChangeSession(String sql) {
    return sql != null && SessionSql.mayChangeSession(sql);
  }

  /**
   * {@link #mayChangeSession}, remembering the last few strings found harmless: an app that runs
   * the same literals again and again (execute(sql), or a pool's app preparing the same SQL at
   * every borrow) pays a few reference compares instead of a scan (~50 ns on H2). Only a "no" is
   * remembered, one reference per slot, so a racing reader sees either nothing or a string that
   * was checked: never a wrong "no".
   */
  boolean mayChangeSessionCached(String sql) {
    String[] known = sessionFreeSql;
    for (int i = 0; i < SESSION_FREE_SLOTS; i++) {
      if (known[i] == sql) {
        return false;
      }
    }
    boolean may = mayChangeSession(sql);
    if (!may && sql != null) {
      System.arraycopy(known, 0, known, 1, SESSION_FREE_SLOTS - 1);
      known[0] = sql;
    }
    return may;
  }

  PlaceholderCounts placeholders() {
    PlaceholderCounts p = placeholders;
    if (p == null) {
      p = new PlaceholderCounts();
      placeholders = p;
    }
    return p;
  }

  void statementClosed() {
    openStatements--;
  }

  public boolean isAutoCommitEffective() {
    return transaction.isAutoCommitEffective();
  }

  boolean wasClosedByUs(Object physicalConnection) {
    return physicalConnection != null && physicalConnection == closedByUs;
  }

  /** The agent's own call found it dead before the app's call sent anything: that call is proven unsent. */
  public void foundDeadBeforeSending() {
    closedByUs = physical;
    markDead(physical);
  }

  /** The physical connection failed as dead: stop sending on it and heal before the next use. */
  void markDead(Object failedPhysical) {
    if (failedPhysical == physical) {
      knownDead = true;
      String unrestorable = unrestorableReason();
      if (unrestorable != null && unusableReason == null) {
        unusableReason = unrestorable;   // it stays as the driver leaves it: closed (README, "What the app sees")
        reportRefusal("connguard: connection #" + id + " to " + factory + " died and its session cannot be given to"
            + " a fresh connection: " + unrestorable + "; it stays closed, as the driver left it");
      }
      closeOwn(failedPhysical);
    }
  }

  /**
   * Could this connection move to another server now without losing anything: open for more
   * (not closed, not unusable), no transaction work yet, a session a fresh connection can be given.
   */
  boolean canMoveWithoutLoss() {
    return isHealable() && unrestorableReason() == null
        && (isAutoCommitEffective() || (transaction.work == 0 && !transaction.openedBySql));
  }

  /**
   * Is the server behind the physical read-only, and where is it? The agent's question runs as a
   * driver-internal call would, inside this thread's call depth: on the app's first physical it is
   * neither healed nor counted as work of the app's transaction nor recorded for a replay (its
   * answer, the server's address, differs on another server and would fail the verification).
   */
  synchronized ServerRole askServerRole(int probeTimeoutSeconds) throws SQLException {
    FunctionCatalog sql = sqlCatalog();
    long me = Thread.currentThread().getId();
    calls.enter(me);
    try {
      return ServerRole.of(physical, sql.dialect(), probeTimeoutSeconds);
    } finally {
      calls.leave(me);
    }
  }

  /**
   * Rolls back the physical's transaction on the server only: PostgreSQL aborted it when it
   * refused a write, and answers anything but a rollback with 25P02. A driver-internal call as in
   * {@link #askServerRole}: the agent's record of the transaction (work, replay log) stays as it
   * was, for the caller to decide its fate. False when the rollback failed.
   */
  synchronized boolean rollBackOnServer() {
    long me = Thread.currentThread().getId();
    calls.enter(me);
    OwnCalls.enter();
    try {
      ((Connection) physical).rollback();
      return true;
    } catch (Throwable cannot) {
      Log.debug("connguard: connection #" + id + " could not roll back its aborted transaction: " + cannot);
      return false;
    } finally {
      OwnCalls.exit();
      calls.leave(me);
    }
  }

  /**
   * The physical is on a read-only server: replace it through the app's URL until the fresh one
   * is writable, waiting between tries (the endpoint may still lead to the standby for a while),
   * until {@code deadlineNanos}. Returns the writable server's role; throws when none was reached.
   *
   * <p>A transaction with work in it is decided on the writable connection only: replayed and
   * verified there with transactionReplay ({@link TransactionReplayer}), else lost. The fresh
   * connections on read-only servers on the way never get it (a replayed write would fail there).
   * When no writable server comes, the transaction is lost: it went with the first physical.
   */
  synchronized ServerRole moveOffReadOnlyServer(long deadlineNanos, Backoff waits, int probeTimeoutSeconds)
      throws SQLException {
    String lastSeen = "read-only";
    boolean settled = false;
    try {
      for (int attempt = 1; ; attempt++) {
        Object left = physical;
        markDead(left);           // alive but of no use: closed, and replaced below
        Connection fresh = replacePhysical(Math.max(0, deadlineNanos - System.nanoTime()));
        retire(left, "on a read-only server");
        ServerRole role;
        try {
          role = askServerRole(probeTimeoutSeconds);
        } catch (SQLException e) {
          role = null;
          lastSeen = "could not tell (" + e.getMessage() + ")";
        }
        if (role != null && !role.readOnly) {
          settled = true;
          settleTransaction(fresh, true);
          return role;
        }
        if (role != null) {
          lastSeen = role.toString();
        }
        long waitMillis = waits.millisAfter(attempt);
        if (deadlineNanos - System.nanoTime() <= TimeUnit.MILLISECONDS.toNanos(waitMillis)) {
          throw new SQLException("connguard: " + attempt + " fresh connections in a row were on a read-only server"
              + " (the last: " + lastSeen + ")");
        }
        try {
          Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("connguard: interrupted while waiting for a writable server");
        }
      }
    } finally {
      if (!settled) {
        loseTransaction("no writable server within retryWindow after the server refused a write as read-only");
      }
    }
  }

  /**
   * The server no longer holds the transaction's work and it was not replayed (see
   * {@link StaleEndpoint}): statements are refused with 40001 until rollback(), {@code why} in the
   * message. Nothing to do for a transaction without work.
   */
  synchronized void loseTransaction(String why) {
    if (!transaction.hasWorkToLose()) {
      return;
    }
    markTransactionLost();
    if (transaction.replayRefusal == null) {
      transaction.replayRefusal = why;
    }
    transaction.openedBySql = false;
  }

  /** The one place a transaction becomes lost: refused with 40001 until rollback(), and counted. */
  private void markTransactionLost() {
    transaction.lost = true;
    counts.transactionsLost.increment();
  }

  /** Why the session cannot be given to a fresh connection, or null when it can. */
  private String unrestorableReason() {
    return sessionPinned ? "it held a temporary table, cursor, LISTEN or prepared transaction"
        : sessionLocks > 0 ? "it held " + sessionLocks + (sessionLocks == 1 ? " session lock" : " session locks")
            + " (advisory lock, GET_LOCK)"
        : !session.isRestorable() ? "more than " + SessionState.MAX_SQL + " session statements" : null;
  }

  /**
   * After a replay, a row the app read on from a first-run result set differs from the replay's:
   * the replayed transaction is not the one the app sees. Lost, like a refused replay.
   */
  public synchronized void replayDiverged(String difference) {
    if (transaction.lost) {
      return;
    }
    markTransactionLost();
    transaction.replayRefusal = difference;
    if (log != null) {
      log.refuse(difference);
    }
    counts.replaysRefused.increment();
    reportRefusal("connguard: connection #" + id + " to " + factory + ": transaction lost and not replayed: "
        + difference);
  }

  /**
   * Did the server certainly roll back everything of the failed call? Inside a transaction (never
   * in autocommit), for a statement or savepoint call that does not commit (not COMMIT, not SQL
   * that commits implicitly such as MySQL's DDL; an unknown or absent text ({@code facts} null:
   * a Statement batch) counts as one that might), and
   * only where the session can be given to a fresh connection, which then serves the app.
   */
  boolean transactionRolledBackWith(int operation, SqlFacts facts) {
    if (isAutoCommitEffective() || isSessionPinned() || !session.isRestorable()) {
      return false;
    }
    if (operation == MethodKind.CONN_SAVEPOINT) {
      return true;
    }
    if (operation != MethodKind.STMT_EXECUTE || facts == null) {
      return false;
    }
    return facts.kind() != SqlKind.TX_COMMIT && facts.kind() != SqlKind.UNKNOWN && !facts.commitsImplicitly();
  }

  /** A dead-connection failure reaches the app: a transaction with work in it is gone. */
  public synchronized void afterSurfacedFailure() {
    if (transaction.hasWorkToLose()) {
      markTransactionLost();
    }
  }

  public synchronized void healIfDead() throws SQLException {
    healIfDead(true);
  }

  /** @param restoreTransaction false when the transaction is not wanted back (rollback, commit outcome) */
  public synchronized void healIfDead(boolean restoreTransaction) throws SQLException {
    if (knownDead) {
      heal("died", restoreTransaction);
    }
  }

  synchronized void heal(String why) throws SQLException {
    heal(why, true);
  }

  /**
   * Opens a replacement, restores the session onto it, and points the app's objects at it. A
   * transaction with work in it is lost, unless transactionReplay replays and verifies it onto
   * the replacement ({@code restoreTransaction}).
   */
  synchronized void heal(String why, boolean restoreTransaction) throws SQLException {
    heal(why, restoreTransaction, Long.MAX_VALUE);
  }

  /** @param budgetNanos how long reconnecting may take, at most retryWindow */
  synchronized void heal(String why, boolean restoreTransaction, long budgetNanos) throws SQLException {
    Object dead = physical;
    Connection fresh = replacePhysical(budgetNanos);
    settleTransaction(fresh, restoreTransaction);
    retire(dead, why);
  }

  /**
   * The first half of a heal: a fresh connection, the session restored onto it, the app's objects
   * pointed at it. The transaction's fate is the caller's ({@link #settleTransaction}).
   */
  private Connection replacePhysical(long budgetNanos) throws SQLException {
    if (closed) {
      throw closedByApp();
    }
    String unrestorable = unrestorableReason();
    if (unrestorable != null) {
      unusableReason = unrestorable;
      throw SessionState.unrestorable(unrestorable);
    }
    Connection fresh = connectAndRestore(Math.min(budgetNanos, ctx.options.retryWindowNanos()));
    physical = fresh;
    forward = new Forward(fresh);
    if (closed) {
      // close() or abort() came while we connected: its forward may have missed this one.
      OwnCalls.close(fresh);
      throw closedByApp();
    }
    physicalBornNanos = CoarseClock.nanoTime();
    knownDead = false;
    return fresh;
  }

  /** A transaction with work in it is lost with its physical, unless replayed and verified onto {@code fresh}. */
  private void settleTransaction(Connection fresh, boolean restoreTransaction) {
    boolean restored = false;
    if (transaction.hasWorkToLose()) {
      restored = restoreTransaction && TransactionReplayer.restore(this, fresh);
      if (!restored) {
        markTransactionLost();
      }
    }
    if (!restored) {
      transaction.openedBySql = false;
    }
  }

  /** The last part of a heal: the physical given up is closed, and the reconnect counted. */
  private void retire(Object replaced, String why) {
    closeOwn(replaced);
    counts.reconnects.increment();
    Log.debug("connguard: connection #" + id + " replaced (" + why + ")");
  }

  /**
   * A fresh connection with the session restored, within {@code budgetNanos}. A fresh connection
   * that dies while the session is restored (killed with the others, a server still starting) is
   * one more failed attempt, not the end of the recovery; a restore the server refuses (a SET it
   * does not know) is: the driver's error, with the agent's account.
   */
  private Connection connectAndRestore(long budgetNanos) throws SQLException {
    long deadline = System.nanoTime() + budgetNanos;
    for (int attempts = 1; ; attempts++) {
      Connection fresh = ctx.reconnector.connect(factory, Math.max(0, deadline - System.nanoTime()));
      try {
        session.restoreOn(fresh);
        return fresh;
      } catch (Throwable t) {
        OwnCalls.close(fresh);
        boolean died = ctx.isDeadConnection(t, fresh);
        if (died && attempts < MAX_RESTORE_ATTEMPTS && deadline - System.nanoTime() > 0) {
          continue;
        }
        SQLException account = new SQLException("connguard: could not restore session state on a fresh connection"
            + (died ? " (it died " + attempts + " times meanwhile)" : ""));
        if (t instanceof SQLException) {
          t.addSuppressed(account);
          throw (SQLException) t;
        }
        account.initCause(t);
        throw account;
      }
    }
  }

  private static final int MAX_RESTORE_ATTEMPTS = 5;

  /**
   * Closes a physical connection we gave up. MySQL Connector/J's close() calls its own rollback():
   * on the app's object that call is woven, and would be forwarded to the replacement, rolling back
   * a transaction just replayed there. So the owner's calls pass unguarded meanwhile.
   */
  private void closeOwn(Object physicalConnection) {
    long outer = closingOwnThread;
    closingOwnThread = Thread.currentThread().getId();
    try {
      OwnCalls.close(physicalConnection);
    } finally {
      closingOwnThread = outer;
    }
  }

  /**
   * Inside {@link #closeOwn} on this thread: a driver closing the physical connection closes its
   * statements too (MariaDB, H2), which must neither count as the app's close nor be forwarded.
   */
  boolean isClosingOwn() {
    long closing = closingOwnThread;
    return closing != 0 && closing == Thread.currentThread().getId();
  }

  /** The app closed or aborted it: calls meanwhile get the driver's answer, never a heal. */
  boolean isClosedByApp() {
    return closed;
  }

  boolean isKnownDead() {
    return knownDead;
  }

  /** Neither closed by the app nor left with state a fresh connection cannot be given. */
  boolean isHealable() {
    return !closed && unusableReason == null;
  }

  private static SQLException closedByApp() {
    return new SQLException("connguard: the application closed this connection; it is not healed");
  }

  private boolean isAtSafePoint(LogicalStatement caller) {
    int ownStatements = caller != null ? 1 : 0;
    return isAutoCommitEffective() && transaction.work == 0 && !isSessionPinned()
        && openStatements <= ownStatements && !knownDead;
  }

  private void recycle() {
    try {
      heal("maxAge");
      counts.connectionsRecycled.increment();
      Log.info("connguard: connection #" + id + " to " + factory + " reached maxAge; replaced between transactions");
    } catch (SQLException e) {
      physicalBornNanos = CoarseClock.nanoTime();    // try again one maxAge later, the old one still works
      Log.warn("connguard: connection #" + id + " reached maxAge but no replacement was possible: " + e.getMessage());
    }
  }

  /**
   * One log line, remembered by the MBean as the last recovery, and a span event named
   * {@code event} ({@link Events}) on the app's current span.
   */
  public void report(String event, String line) {
    report(event, line, -1);
  }

  /** The same, with how long it took in ms. */
  public void report(String event, String line, long elapsedMillis) {
    EventLines.info(line);
    ctx.stats.recordRecovery(line);
    ctx.metrics.event(event, line, id, server, elapsedMillis);
  }

  /** The same for a refusal: the app gets an error, so WARN, and the event is {@link Events#REFUSED}. */
  public void reportRefusal(String line) {
    EventLines.warn(line);
    ctx.stats.recordRecovery(line);
    ctx.metrics.event(Events.REFUSED, line, id, server, -1);
  }

  public void clearTransaction() {
    transaction.clear();
    if (log != null) {
      log.clear();
    }
  }

  private void noteFailure(Throwable thrown) {
    if (ctx.isDeadConnection(thrown, physical)) {
      markDead(physical);
    }
  }

  public static boolean isClosedQuietly(Object connection) {
    OwnCalls.enter();
    try {
      return ((Connection) connection).isClosed();
    } catch (Throwable t) {
      return true;
    } finally {
      OwnCalls.exit();
    }
  }

  private static boolean isRoundTrip(int operation) {
    return operation == MethodKind.CONN_FACTORY || operation == MethodKind.CONN_SETTER
        || operation == MethodKind.CONN_GETTER
        || operation == MethodKind.CONN_COMMIT || operation == MethodKind.CONN_ROLLBACK
        || operation == MethodKind.CONN_SAVEPOINT;
  }

  static boolean enablesAutoCommit(String method, Object[] args) {
    return method.startsWith("setAutoCommit") && args != null && args.length == 1 && Boolean.TRUE.equals(args[0]);
  }

  /** Work inside a transaction that died with its connection: 40001, see {@link SurfacedErrors}. */
  SQLException transactionLostError() {
    if (transaction.replayRefusal != null) {
      return replayRefusedError(null);    // the same state as the call that reported it first
    }
    return SurfacedErrors.rolledBack("connguard: the transaction was lost with its connection (the server rolled it"
        + " back); call rollback() and run the transaction again", null);
  }

  /**
   * transactionReplay=true, the replay refused: 40001, the state apps and frameworks already retry
   * whole transactions on (the data changed under it, or it cannot be verified). Not 08: the
   * connection is healed and usable, and a pool would evict it for an 08.
   */
  public SQLException replayRefusedError(Throwable original) {
    return SurfacedErrors.rolledBack("connguard: transaction lost and not replayed: " + transaction.replayRefusal
        + "; call rollback() and run the transaction again", original);
  }

  private static boolean readAutoCommit(Object connection) {
    try {
      return ((Connection) connection).getAutoCommit();
    } catch (Throwable t) {
      return true;
    }
  }
}
