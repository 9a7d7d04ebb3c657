package connguard.heal;

import java.util.Arrays;
import java.util.List;

/**
 * A prepared statement's positional parameters as last set, by index: a primitive value as its
 * bits in a long and a reference as it is, with the setter's descriptor ("setInt(II)V") telling
 * which. Written on the app's hot path (every setInt), so it allocates only while growing to the
 * statement's parameter count; boxes and argument arrays are made only to replay.
 */
final class ParameterSlots {
  /** Beyond this an index is not a real position (the driver will refuse it): recorded elsewhere. */
  static final int MAX_POSITION = 65535;

  private String[] methods = new String[8];     // [index] -> setter, as the advice names it
  private long[] bits = new long[8];            // [index] -> a primitive value's bits (see Hooks.parameterSet)
  private Object[] values = new Object[8];      // [index] -> a reference value
  private Object[][] args = new Object[8][];    // [index] -> all arguments, for setters of other shapes

  static boolean isPosition(int index) {
    return index >= 0 && index <= MAX_POSITION;
  }

  void set(String method, int index, long valueBits, Object value) {
    ensure(index + 1);
    methods[index] = method;
    bits[index] = valueBits;
    values[index] = value;
    args[index] = null;
  }

  void set(String method, int index, Object[] allArgs) {
    ensure(index + 1);
    methods[index] = method;
    values[index] = null;
    args[index] = allArgs;
  }

  /** Appends each set parameter as a call that sets it again, in index order. */
  void addCallsTo(List<Call> calls) {
    for (int i = 0; i < methods.length; i++) {
      String method = methods[i];
      if (method != null) {
        Object[] a = args[i];
        calls.add(new Call(method, a != null ? a : new Object[] {i, valueOf(method, bits[i], values[i])}));
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

  private void ensure(int size) {
    if (methods.length < size) {
      int capacity = Math.max(size, methods.length * 2);
      methods = Arrays.copyOf(methods, capacity);
      bits = Arrays.copyOf(bits, capacity);
      values = Arrays.copyOf(values, capacity);
      args = Arrays.copyOf(args, capacity);
    }
  }
}
