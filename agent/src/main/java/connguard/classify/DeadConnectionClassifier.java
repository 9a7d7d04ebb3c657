package connguard.classify;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Is the physical connection gone? Pure: no I/O, no logging, no state.
 *
 * <p>Walks {@code getCause()} and {@link SQLException#getNextException()} breadth-first, at most
 * {@link #MAX_NODES} distinct exceptions, and answers DEAD when any of them is a dead-connection
 * signal. Everything else is ALIVE: syntax errors, constraint violations, serialization failures,
 * deadlocks, statement and lock timeouts are the app's business, never ours.
 */
public final class DeadConnectionClassifier {

  /**
   * Exceptions looked at per failure. Enough for pool, driver and socket wrappers plus a batch's
   * next-exception chain; a bound because the exception graph is the driver's and may be long or
   * cyclic.
   */
  public static final int MAX_NODES = 16;

  /** A reason longer than this is cut: it goes into one log line. */
  static final int MAX_REASON_CHARS = 120;

  /**
   * Classifies a failure of a call made on a connection.
   *
   * @param failure what the call threw; null means nothing failed (ALIVE)
   * @param driverReportsClosed {@code Connection.isClosed()} asked after the failure
   */
  public Verdict classify(Throwable failure, boolean driverReportsClosed) {
    return deadSignal(failure, driverReportsClosed) == null ? Verdict.ALIVE : Verdict.DEAD;
  }

  /**
   * A short reason for logs, such as {@code "57P01 terminating connection due to administrator
   * command"}: the SQLState (and vendor code, when there is one) and the first line of the message
   * of the exception that showed the connection dead; null when nothing did. Meant to be called
   * after {@link #classify} said DEAD: socket-level causes are described as if the driver reported
   * the connection closed.
   */
  public String describe(Throwable failure) {
    return describe(failure, true);
  }

  /** Like {@link #describe(Throwable)}, with the same closed flag that was given to classify. */
  public String describe(Throwable failure, boolean driverReportsClosed) {
    Throwable signal = deadSignal(failure, driverReportsClosed);
    return signal == null ? null : reason(signal);
  }

  /**
   * Does this failure prove the call was never executed? PostgreSQL 14+ ends a session with 57P05
   * (idle_session_timeout) only while it sits idle between statements: the backend exits without
   * reading anything more, so a statement answered with 57P05 never ran, even a write.
   */
  public boolean provesNotExecuted(Throwable failure) {
    return find(failure, false, IDLE_TIMEOUT) != null;
  }

  /** The nearest exception in the graph that proves the connection dead, or null. */
  private static Throwable deadSignal(Throwable failure, boolean driverReportsClosed) {
    return find(failure, driverReportsClosed, DEAD_SIGNAL);
  }

  /**
   * Did a server refuse a write because it is read-only: a hot standby or a demoted primary
   * (PostgreSQL 25006), a server started with --read-only or set read_only (MySQL/MariaDB 1290
   * naming read-only, 1836)? The same answer for a transaction the app made READ ONLY on PostgreSQL:
   * whether the server is a standby is the caller's question, asked of the server. Not MySQL's
   * 1792 (a READ ONLY transaction of the app's own).
   */
  public boolean refusedAsReadOnly(Throwable failure) {
    return find(failure, false, READ_ONLY) != null;
  }

  /**
   * Is the session inside a transaction the server aborted, answering anything but a rollback
   * with an error (PostgreSQL 25P02 "current transaction is aborted, commands ignored until end of
   * transaction block")? The transaction's work is gone on the server already: only a rollback
   * is left to do.
   */
  public boolean inAbortedTransaction(Throwable failure) {
    return find(failure, false, ABORTED_TRANSACTION) != null;
  }

  /**
   * Did the driver fail over by itself and answer the interrupted call without running it again?
   * MariaDB Connector/J's failover modes (sequential, loadbalance, aurora) say so with 25S03
   * ("Driver has reconnect connection after a communications link failure"): the connection is
   * alive, on another server.
   */
  public boolean driverReconnected(Throwable failure) {
    return find(failure, false, DRIVER_RECONNECTED) != null;
  }

  private static final int DEAD_SIGNAL = 0;
  private static final int IDLE_TIMEOUT = 1;
  private static final int READ_ONLY = 2;
  private static final int DRIVER_RECONNECTED = 3;
  private static final int ABORTED_TRANSACTION = 4;

  /** Walks the exception graph, bounded: the nearest node of the kind looked for. */
  private static Throwable find(Throwable failure, boolean driverReportsClosed, int lookingFor) {
    if (failure == null) {
      return null;
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
    ArrayDeque<Throwable> pending = new ArrayDeque<Throwable>();
    pending.add(failure);
    while (!pending.isEmpty() && seen.size() < MAX_NODES) {
      Throwable node = pending.poll();
      if (!seen.add(node)) {
        continue;                                 // a cycle: already looked at
      }
      boolean found = lookingFor == DEAD_SIGNAL ? isDeadSignal(node, driverReportsClosed)
          : lookingFor == IDLE_TIMEOUT ? isIdleSessionTimeout(node)
          : lookingFor == READ_ONLY ? isReadOnlyRefusal(node)
          : node instanceof SQLException && (lookingFor == DRIVER_RECONNECTED ? "25S03" : "25P02")
              .equals(normalized(((SQLException) node).getSQLState()));
      if (found) {
        return node;
      }
      // A transient connection exception is usually a pool's "no connection available in time";
      // what it wraps is about some other connection, not the one this call was made on.
      if (node instanceof SQLTransientConnectionException) {
        continue;
      }
      if (node instanceof SQLException) {
        addIfPresent(pending, ((SQLException) node).getNextException());
      }
      addIfPresent(pending, node.getCause());
    }
    return null;
  }

  private static void addIfPresent(ArrayDeque<Throwable> pending, Throwable t) {
    if (t != null) {
      pending.add(t);
    }
  }

  private static boolean isReadOnlyRefusal(Throwable t) {
    if (!(t instanceof SQLException)) {
      return false;
    }
    SQLException e = (SQLException) t;
    int code = e.getErrorCode();
    if ("25006".equals(normalized(e.getSQLState()))) {
      return code != 1792;                          // PostgreSQL read_only_sql_transaction; not MySQL's own READ ONLY transaction
    }
    if (code == 1836) {
      return true;                                  // ER_READ_ONLY_MODE
    }
    // ER_OPTION_PREVENTS_STATEMENT is read-only only when it names the option: it also answers
    // --skip-grant-tables, --secure-file-priv and others.
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return code == 1290 && (message.contains("read-only") || message.contains("read_only"));
  }

  private static boolean isIdleSessionTimeout(Throwable t) {
    return t instanceof SQLException && "57P05".equals(normalized(((SQLException) t).getSQLState()));
  }

  private static boolean isDeadSignal(Throwable t, boolean driverReportsClosed) {
    if (t instanceof SQLException) {
      SQLException e = (SQLException) t;
      String state = normalized(e.getSQLState());
      return isDeadState(state)
          || isDeadVendorCode(e.getErrorCode(), state)
          // JDBC 4 says these mean the connection is unusable, whatever the state.
          || t instanceof SQLRecoverableException
          || t instanceof SQLNonTransientConnectionException;
    }
    // A socket error alone does not prove the connection gone (a read timeout may leave it
    // usable); the driver marking it closed afterwards does.
    return driverReportsClosed
        && (t instanceof EOFException
            || t instanceof SocketException
            || t instanceof SocketTimeoutException);
  }

  private static boolean isDeadState(String state) {
    if (state == null) {
      return false;
    }
    if (state.startsWith("08")) {
      return true;                                // SQL standard class 08: connection exception
    }
    switch (state) {
      case "57P01": // PostgreSQL admin shutdown or pg_terminate_backend: the socket is gone
      case "57P02": // PostgreSQL crash shutdown: another backend crashed, every session is ended
      case "57P03": // PostgreSQL cannot connect now (starting up, shutting down, recovering)
      case "57P04": // PostgreSQL database dropped under the session
      case "57P05": // PostgreSQL 14+ idle_session_timeout closed the session
      case "25P03": // PostgreSQL idle_in_transaction_session_timeout closed the session
      case "25P04": // PostgreSQL 17+ transaction_timeout closed the session
      case "90067": // H2 connection broken
      case "90121": // H2 database closed by shutdown while in use
        return true;
      default:
        return false;
    }
  }

  private static boolean isDeadVendorCode(int code, String state) {
    switch (code) {
      case 90067: // H2 connection broken (H2 uses the code as its SQLState too)
      case 90121: // H2 database called at shutdown
        return true;
      case 2006:  // MySQL/MariaDB client: server has gone away
      case 2013:  // client: lost connection to server during query
      case 2055:  // client: lost connection to server (extended)
      case 4031:  // MySQL 8.0.24+: disconnected by the server for inactivity
      case 1053:  // server shutdown in progress
      case 1927:  // MariaDB: connection was killed (same SQLState 70100 as 1317, query interrupted)
        return isMySqlStyleState(state);
      default:
        return false;
    }
  }

  /**
   * MySQL and MariaDB report these codes with a generic or connection state. Other vendors reuse
   * the numbers for unrelated errors (Oracle ORA-01927 is a REVOKE error, state 42000), so a code
   * under any other state is not taken as a dead connection.
   */
  private static boolean isMySqlStyleState(String state) {
    return state == null
        || state.startsWith("08")
        || "HY000".equals(state)
        || "S1000".equals(state)
        || "70100".equals(state);
  }

  private static String normalized(String state) {
    if (state == null) {
      return null;
    }
    String s = state.trim().toUpperCase(Locale.ROOT);
    return s.isEmpty() ? null : s;
  }

  private static String reason(Throwable t) {
    StringBuilder out = new StringBuilder();
    String state = null;
    int code = 0;
    if (t instanceof SQLException) {
      state = normalized(((SQLException) t).getSQLState());
      code = ((SQLException) t).getErrorCode();
    }
    if (state != null) {
      out.append(state);
      if (code != 0) {
        out.append(" (").append(code).append(')');
      }
    } else {
      out.append(t.getClass().getSimpleName());
      if (code != 0) {
        out.append(" (").append(code).append(')');
      }
      out.append(':');
    }
    String line = firstLine(t.getMessage());
    if (!line.isEmpty()) {
      out.append(' ').append(line);
    }
    if (out.length() > MAX_REASON_CHARS) {
      out.setLength(MAX_REASON_CHARS - 3);
      out.append("...");
    }
    return out.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String m = message.trim();
    int end = m.length();
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (c == '\n' || c == '\r') {
        end = i;
        break;
      }
    }
    return m.substring(0, end).trim();
  }
}
