package connguard.heal;

import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLXML;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * How to make a statement again on another connection: the factory call that made it (SQL,
 * result-set type, generated-keys mode), its settings (fetch size, max rows, query timeout ...),
 * its current parameters and its pending batch.
 *
 * <p>Recording runs on the app's hot path (every setInt): positional parameters go into arrays
 * indexed by position, and nothing is allocated until something is recorded.
 */
final class StatementRecipe {
  private final Call factory;
  private LinkedHashMap<String, Call> settings;
  private String[] positionalMethods;            // [index] -> setter, as the advice names it
  private Object[][] positionalArgs;             // [index] -> its arguments
  private LinkedHashMap<Object, Call> otherParameters;  // named (CallableStatement), OUT registrations
  /** Entries: a String (Statement.addBatch(sql)) or a parameter snapshot (PreparedStatement.addBatch()). */
  private List<Object> batch;

  StatementRecipe(String factoryMethod, Object[] factoryArgs) {
    // The advice builds a fresh argument array per call: no copy needed.
    this.factory = new Call(factoryMethod, factoryArgs);
  }

  /** The SQL given to prepareStatement/prepareCall, or null for createStatement. */
  String preparedSql() {
    return factory.args.length > 0 && factory.args[0] instanceof String ? (String) factory.args[0] : null;
  }

  void recordSetting(String method, Object[] args) {
    if (settings == null) {
      settings = new LinkedHashMap<String, Call>();
    }
    settings.put(method, new Call(method, args));
  }

  void recordParameter(String method, Object[] args) {
    if (method.startsWith("clearParameters")) {
      positionalMethods = null;
      positionalArgs = null;
      otherParameters = null;
      return;
    }
    Object key = args.length > 0 ? args[0] : method;
    if (key instanceof Integer && !method.startsWith("registerOutParameter")) {
      int index = (Integer) key;
      if (index >= 0 && index < 65536) {
        ensurePositions(index + 1);
        positionalMethods[index] = method;
        positionalArgs[index] = args;
        return;
      }
    }
    if (otherParameters == null) {
      otherParameters = new LinkedHashMap<Object, Call>();
    }
    otherParameters.put(method.startsWith("registerOutParameter") ? "out:" + key : key, new Call(method, args));
  }

  private void ensurePositions(int size) {
    if (positionalMethods == null) {
      int capacity = Math.max(8, size);
      positionalMethods = new String[capacity];
      positionalArgs = new Object[capacity][];
    } else if (positionalMethods.length < size) {
      int capacity = Math.max(size, positionalMethods.length * 2);
      positionalMethods = Arrays.copyOf(positionalMethods, capacity);
      positionalArgs = Arrays.copyOf(positionalArgs, capacity);
    }
  }

  void recordBatch(String method, Object[] args) {
    if (method.startsWith("clearBatch")) {
      clearBatch();
      return;
    }
    if (batch == null) {
      batch = new ArrayList<Object>();
    }
    if (args != null && args.length == 1 && args[0] instanceof String) {
      batch.add(args[0]);
    } else {
      batch.add(currentParameters());
    }
  }

  /** executeBatch ran: the driver's batch is empty again. */
  void clearBatch() {
    batch = null;
  }

  /** Streams and LOB handles were consumed by the first attempt: sending them again sends nothing. */
  boolean isReplayable() {
    if (!replayable(currentParameters())) {
      return false;
    }
    if (batch != null) {
      for (Object entry : batch) {
        if (entry instanceof List && !replayable(castCalls(entry))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Makes the statement on {@code connection} and brings it to the recorded state. */
  Object recreateOn(Object connection) throws Throwable {
    Object statement = factory.invokeOn(connection);
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
            for (Call parameter : castCalls(entry)) {
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
      Internal.close(statement);
      throw t;
    }
  }

  private List<Call> currentParameters() {
    List<Call> calls = new ArrayList<Call>();
    if (positionalMethods != null) {
      for (int i = 0; i < positionalMethods.length; i++) {
        if (positionalMethods[i] != null) {
          calls.add(new Call(positionalMethods[i], positionalArgs[i]));
        }
      }
    }
    if (otherParameters != null) {
      calls.addAll(otherParameters.values());
    }
    return calls;
  }

  @SuppressWarnings("unchecked")
  private static List<Call> castCalls(Object entry) {
    return (List<Call>) entry;
  }

  private static boolean replayable(Iterable<Call> calls) {
    for (Call call : calls) {
      for (Object arg : call.args) {
        if (arg instanceof InputStream || arg instanceof Reader || arg instanceof Blob
            || arg instanceof Clob || arg instanceof SQLXML) {
          return false;
        }
      }
    }
    return true;
  }

  /** A copy as the recipe stands now, for the transaction log: later parameter calls leave it alone. */
  StatementRecipe snapshot() {
    StatementRecipe copy = new StatementRecipe(factory.method, factory.args);
    if (settings != null) {
      copy.settings = new LinkedHashMap<String, Call>(settings);
    }
    if (positionalMethods != null) {
      copy.positionalMethods = positionalMethods.clone();
      copy.positionalArgs = positionalArgs.clone();   // the argument arrays themselves are never changed
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
  boolean isCall() {
    return factory.method.startsWith("prepareCall");
  }

  /** A rough size of what the recipe holds, for transactionReplayMaxBytes: text counts 2 bytes a char. */
  long approximateBytes() {
    long bytes = 64 + sizeOf(factory.args);
    for (Call parameter : currentParameters()) {
      bytes += 16 + sizeOf(parameter.args);
    }
    if (batch != null) {
      for (Object entry : batch) {
        if (entry instanceof String) {
          bytes += 16 + 2L * ((String) entry).length();
        } else {
          for (Call parameter : castCalls(entry)) {
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
