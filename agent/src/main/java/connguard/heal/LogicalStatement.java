package connguard.heal;

import connguard.bridge.Failure;
import connguard.bridge.Hooks;
import connguard.bridge.MethodKind;
import connguard.bridge.Skip;
import connguard.heal.call.OwnCalls;
import connguard.heal.recipe.ParameterSlots;
import connguard.heal.recipe.SingleParameter;
import connguard.heal.recipe.StatementRecipe;
import connguard.heal.replay.TransactionRecorder;
import connguard.log.Log;

/**
 * A Statement the app holds, as the agent sees it: the app's own driver object ({@link #owner})
 * and the statement doing the work now, which after a heal is a re-creation on the fresh
 * connection (same SQL, settings, parameters, batch). Re-created lazily, on first use.
 */
public final class LogicalStatement extends Guard {
  /** Statement.getConnection() answers the app's connection, never our replacement. */
  private static final Skip OWNER_CONNECTION = new Skip();
  /** isClosed() while its connection is dead or was replaced: the app's statement lives on. */
  private static final Skip STILL_OPEN = new Skip();
  /** Skip a parameter or setting call and only record it (see enter). */
  private static final Skip RECORD_ONLY = new Skip();

  final Object owner;
  public final LogicalConnection conn;
  // The factory call that made it; the recipe to make it again is built from these on the first
  // call it has to record: many statements are prepared, run and closed with no parameter or
  // setting recorded (one object per statement, not two).
  private final String factoryMethod;
  private final Object[] factoryArgs;
  private final String preparedSql;
  private StatementRecipe recipe;
  /**
   * Positional parameters set while nothing else was recorded: a statement prepared, bound with
   * setX, run and closed (a pooled app's every borrow) needs no recipe. The recipe takes them
   * over when it is made. A {@link SingleParameter} while the SQL has at most one placeholder,
   * else {@link ParameterSlots}; one field for both keeps this object at 56 B.
   */
  private Object pendingParameters;
  private Object physical;
  private Object boundTo;              // the physical connection {@link #physical} belongs to
  private volatile Forward forward;    // null while physical == owner
  private boolean closed;
  /** Whether the prepared SQL may change the session: 0 not looked at yet, 1 no, 2 yes. */
  private byte preparedSessionEffect;

  /** The factory call's arguments as {@link StatementRecipe#StatementRecipe} takes them. */
  LogicalStatement(Object owner, LogicalConnection conn, String factoryMethod, Object[] factoryArgs,
                   Object factoryArg0, Object boundTo) {
    this.owner = owner;
    this.conn = conn;
    this.factoryMethod = factoryMethod;
    this.factoryArgs = factoryArgs;
    this.preparedSql = StatementRecipe.sqlOf(factoryArgs, factoryArg0);
    this.physical = owner;
    this.boundTo = boundTo;
  }

  /** How to make this statement again, as recorded so far; made on first need. */
  public StatementRecipe recipe() {
    StatementRecipe r = recipe;
    if (r == null) {
      r = new StatementRecipe(factoryMethod, factoryArgs, preparedSql, conn.placeholders(), pendingSlots());
      pendingParameters = null;
      recipe = r;
    }
    return r;
  }

  /** Could a re-execution send the same parameters again? Not once a stream or LOB was consumed. */
  boolean isReplayable() {
    StatementRecipe r = recipe;
    if (r != null) {
      return r.isReplayable();
    }
    Object pending = pendingParameters;
    return pending == null
        || (pending instanceof SingleParameter ? ((SingleParameter) pending).isReplayable()
            : ((ParameterSlots) pending).isReplayable());
  }

  /** The pending parameters as slots, or null. */
  private ParameterSlots pendingSlots() {
    Object pending = pendingParameters;
    return pending instanceof SingleParameter
        ? ((SingleParameter) pending).toSlots(conn.placeholders().of(preparedSql)) : (ParameterSlots) pending;
  }

  /** {@code setX(int index, value)} on the hot path: see {@link connguard.bridge.Hooks#parameterSet}. */
  void recordParameter(String method, int index, long bits, Object value) {
    StatementRecipe r = recipe;
    if (r != null || !ParameterSlots.isPosition(index)) {
      recipe().recordParameter(method, index, bits, value);
      return;
    }
    Object pending = pendingParameters;
    if (pending instanceof ParameterSlots) {
      ((ParameterSlots) pending).set(method, index, bits, value);
      return;
    }
    if (pending != null && ((SingleParameter) pending).index == index) {
      ((SingleParameter) pending).set(method, bits, value);
      return;
    }
    int placeholders = conn.placeholders().of(preparedSql);
    if (pending == null && placeholders <= 1) {
      pendingParameters = new SingleParameter(method, index, bits, value);
      return;
    }
    // More than one placeholder, or a second index after all: slots, holding any first one.
    ParameterSlots slots = pending == null ? ParameterSlots.forPosition(index, placeholders)
        : ((SingleParameter) pending).toSlots(placeholders);
    slots.set(method, index, bits, value);
    pendingParameters = slots;
  }

  /** Looked at on the first successful execute, not on every prepareStatement: many are never run. */
  private boolean preparedMayChangeSession() {
    if (preparedSessionEffect == 0) {
      preparedSessionEffect = conn.mayChangeSessionCached(preparedSql) ? (byte) 2 : (byte) 1;
    }
    return preparedSessionEffect == 2;
  }

  /** Hot cases inline, rare ones in methods of their own: see LogicalConnection.enter on why it stays small. */
  @Override protected Object enter(int kind) {
    switch (MethodKind.operation(kind)) {
      case MethodKind.STMT_EXECUTE:
        return conn.beginRoundTrip(kind, this);
      case MethodKind.STMT_PARAM:
      case MethodKind.STMT_SETTING:
      case MethodKind.STMT_BATCH: {
        if (boundTo != conn.physical) {
          // Its connection was replaced: the old statement may be closed with it (Connector/J
          // says "statement closed"). Only record; the next execute re-creates it with this.
          // (A connection known dead but not yet replaced is handled in afterCall, off this path.)
          return RECORD_ONLY;
        }
        Forward f = forward;
        return f != null ? f : this;     // recorded at exit either way
      }
      case MethodKind.STMT_CLOSE:
        return enterClose();
      case MethodKind.STMT_GET_CONNECTION:
        // Closed by the app: the driver's own check and exception, as without the agent.
        return closed ? null : OWNER_CONNECTION;
      case MethodKind.STMT_ISCLOSED:
        return enterIsClosed();
      case MethodKind.STMT_GENERATED_KEYS:
        return enterGeneratedKeys();
      case MethodKind.STMT_WARNINGS:
        return !closed && conn.isHealable() && (conn.isKnownDead() || boundTo != conn.physical) ? NO_WARNINGS : forward;
      default:
        return forward;
    }
  }

  private Object enterClose() {
    if (closed || conn.isClosingOwn()) {
      // Closed already (again by the app, or by our forwarded close: see Guard.exit), or the
      // driver closing it with the dead connection we gave up: the app's statement lives on.
      return null;
    }
    closed = true;
    conn.statementClosed();
    return forward;
  }

  private Object enterIsClosed() {
    if (!closed && conn.isHealable() && (boundTo != conn.physical || conn.isKnownDead())) {
      return STILL_OPEN;
    }
    return forward;
  }

  /** Woven only with transactionReplay: keys get digested. */
  private Object enterGeneratedKeys() {
    Forward f = forward;
    if (f != null) {
      return f;
    }
    // The app's own call, not one the driver makes inside an execute (that one's entry is not logged yet).
    return conn.inCallOnThisThread() ? null : this;
  }

  /** After the connection's checks: re-create this statement if its connection was replaced. */
  Object tokenForUse() {
    if (boundTo != conn.physical) {
      try {
        rebind();
      } catch (Throwable t) {
        Log.debug("connguard: could not re-create a statement on connection #" + conn.id + ": " + t);
        if (conn.ctx.isDeadConnection(t, true)) {
          return this;     // runs on the old statement, fails, and recovery takes it from there
        }
        return new Refusal(t);   // the fresh connection answered (e.g. table gone): that is the truth
      }
    }
    Forward f = forward;
    return f != null ? f : this;
  }

  /** The statement to re-execute on, re-created on the connection's current physical if needed. */
  Object physicalForRetry() throws Throwable {
    if (boundTo != conn.physical) {
      rebind();
    }
    return physical;
  }

  /** The statement doing the work now: the owner, or its re-creation on a fresh connection. */
  public Object physicalNow() {
    return physical;
  }

  Object boundConnection() {
    return boundTo;
  }

  /** The app closed it (perhaps from another thread, while it ran). */
  boolean isClosedByApp() {
    return closed;
  }

  private void rebind() throws Throwable {
    Object connection = conn.physical;
    Object fresh = recipe().recreateOn(connection);
    if (physical != owner) {
      OwnCalls.close(physical);
    }
    physical = fresh;
    boundTo = connection;
    forward = new Forward(fresh);
  }

  @Override protected Object owner() {
    return owner;
  }

  @Override protected LogicalConnection connection() {
    return conn;
  }

  @Override protected boolean countsDepth(int operation) {
    return operation == MethodKind.STMT_EXECUTE;   // parameter and setting calls are not round trips
  }

  @Override protected boolean isClose(int operation) {
    return operation == MethodKind.STMT_CLOSE;
  }

  @Override protected Object answerSkipped(Object token, int kind, String method, Object[] args) {
    if (token == RECORD_ONLY) {
      afterSuccess(MethodKind.operation(kind), method, args);
      return Hooks.UNCHANGED;
    }
    if (token == STILL_OPEN) {
      return Boolean.FALSE;
    }
    return token == OWNER_CONNECTION ? conn.owner : Hooks.UNCHANGED;
  }

  @Override protected Object afterCall(int kind, String method, Object[] args, Object result, Throwable thrown, boolean forwarded) {
    int operation = MethodKind.operation(kind);
    if (thrown == null) {
      afterSuccess(operation, method, args, result);
      return forwarded ? result : Hooks.UNCHANGED;
    }
    if (operation == MethodKind.STMT_PARAM || operation == MethodKind.STMT_SETTING
        || operation == MethodKind.STMT_BATCH) {
      if (conn.isKnownDead() && conn.isHealable() && !closed) {
        // A setter on a statement of a connection found dead and not replaced yet: the driver
        // refuses it ("statement closed"). Record it; the next execute heals and re-creates the
        // statement with it. Setters are void: null stands for their normal return.
        afterSuccess(operation, method, args);
        return null;
      }
      return Recovery.recover(conn, this, kind, method, args, thrown);
    }
    if (operation == MethodKind.STMT_EXECUTE) {
      return Recovery.recover(conn, this, kind, method, args, thrown);
    }
    return forwarded ? new Failure(thrown) : Hooks.UNCHANGED;
  }

  @Override protected void recordSuccess(int operation, String method, Object[] args, Object arg0, Object result) {
    book(operation, method, args, arg0, result);
  }

  /** After a call succeeded (first time or re-executed): the transaction log first, then the recipe. */
  void afterSuccess(int operation, String method, Object[] args, Object result) {
    book(operation, method, args, null, result);
  }

  /** The same for a call recorded without running it (RECORD_ONLY: its connection was replaced). */
  void afterSuccess(int operation, String method, Object[] args) {
    book(operation, method, args, null, null);
  }

  /**
   * {@code arg0}: the SQL of execute(sql) when the success path passes it without an argument
   * array; {@code result}: only with transactionReplay, whose log digests what the app saw.
   */
  private void book(int operation, String method, Object[] args, Object arg0, Object result) {
    if (conn.log != null) {
      // With a log only (transactionReplay or resolveCommitOutcome): the SQL of execute(sql) counts.
      Object[] logged = args == null && arg0 != null ? new Object[] {arg0} : args;
      TransactionRecorder.afterSuccess(this, operation, method, logged, result);
    }
    switch (operation) {
      case MethodKind.STMT_PARAM:
        recipe().recordParameter(method, args);
        break;
      case MethodKind.STMT_SETTING:
        recipe().recordSetting(method, args);
        break;
      case MethodKind.STMT_BATCH:
        recipe().recordBatch(method, args);
        break;
      case MethodKind.STMT_EXECUTE: {
        String sql = arg0 instanceof String ? (String) arg0 : sqlOf(args);
        if (recipe != null && recipe.hasBatch()
            && (method.startsWith("executeBatch") || method.startsWith("executeLargeBatch"))) {
          recipe.clearBatch();
        }
        if (sql != null) {
          conn.afterStatement(sql, conn.mayChangeSessionCached(sql), null);
        } else {
          conn.afterStatement(preparedSql, preparedMayChangeSession(), this);
        }
        break;
      }
      default:
        break;
    }
  }

  /** The SQL this call runs: its own argument (Statement.execute(sql)) or the prepared SQL. */
  String sqlOf(Object[] args) {
    return args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : null;
  }

  public String sqlForDecision(String method, Object[] args) {
    String own = sqlOf(args);
    return own != null ? own : preparedSql;   // null for a Statement batch: unknown, a write
  }
}
