package connguard.heal.recipe;

import connguard.heal.call.Call;
import java.util.Arrays;
import java.util.List;

/**
 * A prepared statement's positional parameters as last set, by index: a primitive value as its
 * bits in a long and a reference as it is, with the setter's descriptor ("setInt(II)V") telling
 * which. Written on the app's hot path (every setInt), so it allocates only while growing to the
 * statement's parameter count; boxes and argument arrays are made only to replay.
 */
public final class ParameterSlots {
  /** Beyond this an index is not a real position (the driver will refuse it): recorded elsewhere. */
  static final int MAX_POSITION = 65535;

  // Sized once to the statement's placeholders (see StatementRecipe); the value arrays only when
  // a value of their sort is set: an app that prepares per use pays for what it sets, no more.
  private String[] methods;                     // [index] -> setter, as the advice names it
  private long[] bits;                          // [index] -> a primitive value's bits (see Hooks.parameterSet)
  private Object[] values;                      // [index] -> a reference value
  private Object[][] args;                      // [index] -> all arguments, for setters of other shapes
  /**
   * Which of the arrays above a {@link #snapshot} shares (bits: {@link #METHODS} ...): such an
   * array is copied before its next write, so a batch row costs the arrays its next row changes,
   * not a copy of everything.
   */
  private int shared;
  private static final int METHODS = 1, BITS = 2, VALUES = 4, ARGS = 8;

  /** @param capacity the highest index expected, plus one (JDBC counts from 1) */
  ParameterSlots(int capacity) {
    methods = new String[capacity];
  }

  private ParameterSlots() {}

  /** Slots for a statement whose first parameter set is {@code index}, sized to its SQL's placeholders. */
  public static ParameterSlots forPosition(int index, int placeholders) {
    return new ParameterSlots(Math.max(index, placeholders) + 1);
  }

  public static boolean isPosition(int index) {
    return index >= 0 && index <= MAX_POSITION;
  }

  public void set(String method, int index, long valueBits, Object value) {
    ensure(index + 1);
    // A hot loop sets the same parameter with the same setter each time: a reference store into
    // this long-lived array would pay G1's card marking on every call, a compare does not.
    if (methods[index] != method) {
      writableMethods()[index] = method;
    }
    if (value == null) {
      if (bits == null) {
        bits = new long[methods.length];
        shared &= ~BITS;
      }
      if (bits[index] != valueBits) {
        writableBits()[index] = valueBits;
      }
      if (values != null && values[index] != null) {
        writableValues()[index] = null;
      }
    } else {
      if (values == null) {
        values = new Object[methods.length];
        shared &= ~VALUES;
      }
      if (values[index] != value) {
        writableValues()[index] = value;
      }
    }
    if (args != null && args[index] != null) {
      writableArgs()[index] = null;
    }
  }

  public void set(String method, int index, Object[] allArgs) {
    ensure(index + 1);
    writableMethods()[index] = method;
    if (values != null && values[index] != null) {
      writableValues()[index] = null;
    }
    if (args == null) {
      args = new Object[methods.length][];
      shared &= ~ARGS;
    }
    writableArgs()[index] = allArgs;
  }

  /**
   * The parameters as they are now, for a batch row ({@code addBatch()}): later sets leave it
   * alone. It shares the arrays until this object writes one of them again.
   */
  ParameterSlots snapshot() {
    ParameterSlots row = new ParameterSlots();
    row.methods = methods;
    row.bits = bits;
    row.values = values;
    row.args = args;
    shared = METHODS | BITS | VALUES | ARGS;
    return row;
  }

  /** Could these parameters be sent again? Not a stream or LOB handle: the first send consumed it. */
  public boolean isReplayable() {
    for (int i = 0; i < methods.length; i++) {
      if (!Call.canSendAgain(values != null ? values[i] : null)) {
        return false;
      }
      Object[] a = args != null ? args[i] : null;
      if (a != null) {
        for (Object arg : a) {
          if (!Call.canSendAgain(arg)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private String[] writableMethods() {
    if ((shared & METHODS) != 0) {
      methods = methods.clone();
      shared &= ~METHODS;
    }
    return methods;
  }

  private long[] writableBits() {
    if ((shared & BITS) != 0) {
      bits = bits.clone();
      shared &= ~BITS;
    }
    return bits;
  }

  private Object[] writableValues() {
    if ((shared & VALUES) != 0) {
      values = values.clone();
      shared &= ~VALUES;
    }
    return values;
  }

  private Object[][] writableArgs() {
    if ((shared & ARGS) != 0) {
      args = args.clone();
      shared &= ~ARGS;
    }
    return args;
  }

  /** Appends each set parameter as a call that sets it again, in index order. */
  void addCallsTo(List<Call> calls) {
    for (int i = 0; i < methods.length; i++) {
      String method = methods[i];
      if (method != null) {
        Object[] a = args != null ? args[i] : null;
        calls.add(new Call(method, a != null ? a
            : new Object[] {i, valueOf(method, bits != null ? bits[i] : 0, values != null ? values[i] : null)}));
      }
    }
  }

  /** The value of a recorded {@code setX(int, value)}, boxed as reflection passes it. */
  static Object valueOf(String method, long valueBits, Object value) {
    int open = method.indexOf('(');
    char type = open >= 0 && open + 2 < method.length() ? method.charAt(open + 2) : 'L';
    switch (type) {
      case 'I': return (int) valueBits;
      case 'J': return valueBits;
      case 'S': return (short) valueBits;
      case 'B': return (byte) valueBits;
      case 'D': return Double.longBitsToDouble(valueBits);
      case 'F': return (float) Double.longBitsToDouble(valueBits);
      default: return value;                 // a reference, or a boolean passed boxed
    }
  }

  /** A copy that later sets leave alone (the transaction log keeps what a statement ran with). */
  ParameterSlots copy() {
    ParameterSlots copy = new ParameterSlots();
    copy.methods = methods.clone();
    copy.bits = bits == null ? null : bits.clone();
    copy.values = values == null ? null : values.clone();
    copy.args = args == null ? null : args.clone();     // each argument array is never changed
    return copy;
  }

  private void ensure(int size) {
    if (methods.length < size) {
      int capacity = Math.max(size, methods.length * 2);
      methods = Arrays.copyOf(methods, capacity);
      bits = bits == null ? null : Arrays.copyOf(bits, capacity);
      values = values == null ? null : Arrays.copyOf(values, capacity);
      args = args == null ? null : Arrays.copyOf(args, capacity);
      shared = 0;                                   // all copies now
    }
  }
}
