package connguard.heal.recipe;

import connguard.heal.call.Call;
import connguard.heal.call.Invoker;
import connguard.heal.call.OwnCalls;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * How to make a statement again on another connection: the factory call that made it (SQL,
 * result-set type, generated-keys mode), its settings (fetch size, max rows, query timeout ...),
 * its current parameters and its pending batch.
 *
 * <p>Recording runs on the app's hot path (every setInt): positional parameters go into
 * {@link ParameterSlots}, made on the first one; nothing is allocated until something is recorded.
 */
public final class StatementRecipe {
  private final String factoryMethod;
  private final Object[] factoryArgs;            // null when the factory took at most its SQL
  private final String sql;                      // prepareStatement/prepareCall's SQL; null for createStatement
  private final PlaceholderCounts placeholders;  // the connection's: sizes the slots, asked only when made
  private LinkedHashMap<String, Call> settings;
  private ParameterSlots positional;
  private LinkedHashMap<Object, Call> otherParameters;  // named (CallableStatement), OUT registrations
  /**
   * Entries: a String (Statement.addBatch(sql)) or the parameters of PreparedStatement.addBatch():
   * a {@link ParameterSlots#snapshot} when all were positional (the common case, a few bytes a
   * row), else the calls that set them (see {@link #callsOf}).
   */
  private List<Object> batch;
  /** A batch row with no parameters set. */
  private static final List<Call> NO_PARAMETERS = Collections.emptyList();

  /**
   * @param factoryArgs all arguments of the factory call, or null when the success path passed
   *     only its first (no arguments, or just the SQL); the advice builds a fresh array per call,
   *     so no copy is needed.
   * @param sql the factory's SQL: {@link #sqlOf} its arguments
   * @param placeholders the connection's '?' counts, to size the parameter slots if they are made here
   * @param positional positional parameters set before the recipe was made, or null; taken over
   */
  public StatementRecipe(String factoryMethod, Object[] factoryArgs, String sql, PlaceholderCounts placeholders,
                  ParameterSlots positional) {
    this.factoryMethod = factoryMethod;
    this.factoryArgs = factoryArgs;
    this.sql = sql;
    this.placeholders = placeholders;
    this.positional = positional;
  }

  /** The SQL of a factory call: its first argument, from the array or alone ({@code factoryArg0}). */
  public static String sqlOf(Object[] factoryArgs, Object factoryArg0) {
    Object first = factoryArgs != null ? (factoryArgs.length > 0 ? factoryArgs[0] : null) : factoryArg0;
    return first instanceof String ? (String) first : null;
  }

  /** The SQL given to prepareStatement/prepareCall, or null for createStatement. */
  public String preparedSql() {
    return sql;
  }

  public void recordSetting(String method, Object[] args) {
    if (settings == null) {
      settings = new LinkedHashMap<String, Call>();
    }
    settings.put(method, new Call(method, args));
  }

  public void recordParameter(String method, Object[] args) {
    if (method.startsWith("clearParameters")) {
      positional = null;
      otherParameters = null;
      return;
    }
    Object key = args.length > 0 ? args[0] : method;
    if (key instanceof Integer && !method.startsWith("registerOutParameter")) {
      int index = (Integer) key;
      if (ParameterSlots.isPosition(index)) {
        positionalSlots(index).set(method, index, args);
        return;
      }
    }
    if (otherParameters == null) {
      otherParameters = new LinkedHashMap<Object, Call>();
    }
    otherParameters.put(method.startsWith("registerOutParameter") ? "out:" + key : key, new Call(method, args));
  }

  /** {@code setX(int index, value)}, recorded without boxing; see {@link connguard.bridge.Hooks#parameterSet}. */
  public void recordParameter(String method, int index, long bits, Object value) {
    if (ParameterSlots.isPosition(index)) {
      positionalSlots(index).set(method, index, bits, value);
    } else {
      recordParameter(method, new Object[] {index, ParameterSlots.valueOf(method, bits, value)});   // rare
    }
  }

  private ParameterSlots positionalSlots(int index) {
    if (positional == null) {
      positional = ParameterSlots.forPosition(index, placeholders.of(sql));
    }
    return positional;
  }

  public void recordBatch(String method, Object[] args) {
    if (method.startsWith("clearBatch")) {
      clearBatch();
      return;
    }
    if (batch == null) {
      batch = new ArrayList<Object>();
    }
    if (args != null && args.length == 1 && args[0] instanceof String) {
      batch.add(args[0]);
    } else if (otherParameters == null) {
      batch.add(positional != null ? positional.snapshot() : NO_PARAMETERS);
    } else {
      batch.add(currentParameters());
    }
  }

  public boolean hasBatch() {
    return batch != null;
  }

  /** executeBatch ran: the driver's batch is empty again. */
  public void clearBatch() {
    batch = null;
  }

  /** Streams and LOB handles were consumed by the first attempt: sending them again sends nothing. */
  public boolean isReplayable() {
    if (!replayable(currentParameters())) {
      return false;
    }
    if (batch != null) {
      for (Object entry : batch) {
        if (entry instanceof ParameterSlots ? !((ParameterSlots) entry).isReplayable()
            : entry instanceof List && !replayable(callsOf(entry))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Makes the statement on {@code connection} and brings it to the recorded state. */
  public Object recreateOn(Object connection) throws Throwable {
    Object[] args = factoryArgs;
    if (args == null && factoryMethod.indexOf("()") < 0) {
      args = new Object[] {sql};       // prepareStatement(sql), prepareCall(sql)
    }
    Object statement = Invoker.invoke(connection, factoryMethod, args);
    try {
      if (settings != null) {
        for (Call setting : settings.values()) {
          setting.invokeOn(statement);
        }
      }
      if (batch != null) {
        for (Object entry : batch) {
          if (entry instanceof String) {
            Invoker.invoke(statement, "addBatch(Ljava/lang/String;)V", new Object[] {entry});
          } else {
            for (Call parameter : callsOf(entry)) {
              parameter.invokeOn(statement);
            }
            Invoker.invoke(statement, "addBatch()V", null);
          }
        }
      }
      for (Call parameter : currentParameters()) {
        parameter.invokeOn(statement);
      }
      return statement;
    } catch (Throwable t) {
      OwnCalls.close(statement);
      throw t;
    }
  }

  private List<Call> currentParameters() {
    List<Call> calls = new ArrayList<Call>();
    if (positional != null) {
      positional.addCallsTo(calls);
    }
    if (otherParameters != null) {
      calls.addAll(otherParameters.values());
    }
    return calls;
  }

  /** The calls that set a batch row's parameters again (not for a String entry). */
  @SuppressWarnings("unchecked")
  private static List<Call> callsOf(Object entry) {
    if (entry instanceof ParameterSlots) {
      List<Call> calls = new ArrayList<Call>();
      ((ParameterSlots) entry).addCallsTo(calls);
      return calls;
    }
    return (List<Call>) entry;
  }

  private static boolean replayable(Iterable<Call> calls) {
    for (Call call : calls) {
      for (Object arg : call.args) {
        if (!Call.canSendAgain(arg)) {
          return false;
        }
      }
    }
    return true;
  }

  /** A copy as the recipe stands now, for the transaction log: later parameter calls leave it alone. */
  public StatementRecipe snapshot() {
    StatementRecipe copy = new StatementRecipe(factoryMethod, factoryArgs, sql, placeholders, null);
    if (settings != null) {
      copy.settings = new LinkedHashMap<String, Call>(settings);
    }
    if (positional != null) {
      copy.positional = positional.copy();
    }
    if (otherParameters != null) {
      copy.otherParameters = new LinkedHashMap<Object, Call>(otherParameters);
    }
    if (batch != null) {
      copy.batch = new ArrayList<Object>(batch);
    }
    return copy;
  }

  /** Made by prepareCall: its OUT parameters are read by getters no replay can verify. */
  public boolean isCall() {
    return factoryMethod.startsWith("prepareCall");
  }

  /** A rough size of what the recipe holds, for transactionReplayMaxBytes: text counts 2 bytes a char. */
  public long approximateBytes() {
    long bytes = 64 + (factoryArgs != null ? sizeOf(factoryArgs) : sql != null ? 2L * sql.length() : 0);
    for (Call parameter : currentParameters()) {
      bytes += 16 + sizeOf(parameter.args);
    }
    if (batch != null) {
      for (Object entry : batch) {
        if (entry instanceof String) {
          bytes += 16 + 2L * ((String) entry).length();
        } else {
          for (Call parameter : callsOf(entry)) {
            bytes += 16 + sizeOf(parameter.args);
          }
        }
      }
    }
    return bytes;
  }

  private static long sizeOf(Object[] args) {
    long bytes = 0;
    for (Object arg : args) {
      if (arg instanceof String) {
        bytes += 2L * ((String) arg).length();
      } else if (arg instanceof byte[]) {
        bytes += ((byte[]) arg).length;
      } else {
        bytes += 16;
      }
    }
    return bytes;
  }
}
