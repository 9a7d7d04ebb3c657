package connguard.heal.recipe;

import connguard.heal.call.Call;

/**
 * The one positional parameter of a statement whose SQL has at most one placeholder (a lookup by
 * key, the commonest prepared statement), recorded without {@link ParameterSlots}' arrays. A
 * pooled app prepares it anew at every borrow, so this is one 32 B object per borrow instead of
 * three (88 B); it becomes {@link ParameterSlots} when a second index is set or the statement's
 * recipe is made. Values as {@link ParameterSlots#set(String, int, long, Object)} takes them.
 */
public final class SingleParameter {
  public final int index;
  private String method;
  private long bits;
  private Object value;

  public SingleParameter(String method, int index, long bits, Object value) {
    this.index = index;
    set(method, bits, value);
  }

  /** The same index set again. */
  public void set(String method, long valueBits, Object value) {
    // A statement reused in a loop sets this again on every call: compare before a reference
    // store, which into an object that survived a GC pays G1's card marking (see ParameterSlots).
    if (this.method != method) {
      this.method = method;
    }
    if (this.value != value) {
      this.value = value;
    }
    if (value == null) {
      bits = valueBits;
    }
  }

  /** Could it be sent again? Not a stream or LOB handle: the first send consumed it. */
  public boolean isReplayable() {
    return Call.canSendAgain(value);
  }

  /** The same parameter in slots sized to the SQL's {@code placeholders}, for more to be recorded. */
  public ParameterSlots toSlots(int placeholders) {
    ParameterSlots slots = ParameterSlots.forPosition(index, placeholders);
    slots.set(method, index, bits, value);
    return slots;
  }
}
