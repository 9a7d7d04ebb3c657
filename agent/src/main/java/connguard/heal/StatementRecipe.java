package connguard.heal;

import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLXML;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * How to make a statement again on another connection: the factory call that made it (SQL,
 * result-set type, generated-keys mode), its settings (fetch size, max rows, query timeout ...),
 * its current parameters and its pending batch.
 */
final class StatementRecipe {
  private final Call factory;
  private final LinkedHashMap<String, Call> settings = new LinkedHashMap<String, Call>();
  private LinkedHashMap<Object, Call> parameters = new LinkedHashMap<Object, Call>();
  /** Entries: a String (Statement.addBatch(sql)) or a parameter snapshot (PreparedStatement.addBatch()). */
  private final List<Object> batch = new ArrayList<Object>();

  StatementRecipe(String factoryMethod, Object[] factoryArgs) {
    this.factory = new Call(factoryMethod, factoryArgs == null ? null : factoryArgs.clone());
  }

  /** The SQL given to prepareStatement/prepareCall, or null for createStatement. */
  String preparedSql() {
    return factory.args.length > 0 && factory.args[0] instanceof String ? (String) factory.args[0] : null;
  }

  void recordSetting(String method, Object[] args) {
    settings.put(method, new Call(method, args));
  }

  void recordParameter(String method, Object[] args) {
    if (method.startsWith("clearParameters")) {
      parameters.clear();
      return;
    }
    Object key = args.length > 0 ? args[0] : method;
    if (method.startsWith("registerOutParameter")) {
      key = "out:" + key;
    }
    parameters.put(key, new Call(method, args));
  }

  void recordBatch(String method, Object[] args) {
    if (method.startsWith("clearBatch")) {
      batch.clear();
    } else if (args != null && args.length == 1 && args[0] instanceof String) {
      batch.add(args[0]);
    } else {
      batch.add(new ArrayList<Call>(parameters.values()));
    }
  }

  /** executeBatch ran (successfully or not, the driver clears its batch either way after we re-ran it). */
  void clearBatch() {
    batch.clear();
  }

  /** Streams and LOB handles were consumed by the first attempt: sending them again sends nothing. */
  boolean isReplayable() {
    if (!replayable(parameters.values())) {
      return false;
    }
    for (Object entry : batch) {
      if (entry instanceof List && !replayable(castCalls(entry))) {
        return false;
      }
    }
    return true;
  }

  /** Makes the statement on {@code connection} and brings it to the recorded state. */
  Object recreateOn(Object connection) throws Throwable {
    Object statement = factory.invokeOn(connection);
    try {
      for (Call setting : settings.values()) {
        setting.invokeOn(statement);
      }
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
      for (Call parameter : parameters.values()) {
        parameter.invokeOn(statement);
      }
      return statement;
    } catch (Throwable t) {
      Internal.close(statement);
      throw t;
    }
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
}
