package connguard.heal.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.heal.call.Call;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterSlotsTest {
  /** What the advice hands over for each setter shape, and the arguments replay must rebuild. */
  @Test
  void replayRebuildsEachValueWithItsOwnType() {
    ParameterSlots slots = new ParameterSlots(2);
    slots.set("setInt(II)V", 1, -5L, null);                               // int widened to long
    slots.set("setLong(IJ)V", 2, Long.MIN_VALUE, null);
    slots.set("setShort(IS)V", 3, (long) Short.MIN_VALUE, null);
    slots.set("setByte(IB)V", 4, (long) (byte) -1, null);
    slots.set("setDouble(ID)V", 5, Double.doubleToRawLongBits(0.1), null);
    slots.set("setFloat(IF)V", 6, Double.doubleToRawLongBits(0.1f), null); // float widened to double
    slots.set("setBoolean(IZ)V", 7, 0, Boolean.TRUE);
    slots.set("setString(ILjava/lang/String;)V", 8, 0, "x");
    slots.set("setObject(ILjava/lang/Object;I)V", 9, new Object[] {9, "y", 12});   // other shapes: all arguments
    List<Call> calls = new ArrayList<Call>();
    slots.addCallsTo(calls);

    Object[][] expected = {{1, -5}, {2, Long.MIN_VALUE}, {3, Short.MIN_VALUE}, {4, (byte) -1}, {5, 0.1},
        {6, 0.1f}, {7, true}, {8, "x"}, {9, "y", 12}};
    assertEquals(expected.length, calls.size());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], calls.get(i).args, calls.get(i).method);
      assertEquals(expected[i][1].getClass(), calls.get(i).args[1].getClass(), calls.get(i).method);   // the box type
    }
  }

  @Test
  void aLaterSetOfTheSameIndexReplacesTheEarlierOneAndSlotsGrow() {
    ParameterSlots slots = new ParameterSlots(2);
    slots.set("setObject(ILjava/lang/Object;I)V", 1, new Object[] {1, "old", 12});
    slots.set("setInt(II)V", 1, 7L, null);
    slots.set("setInt(II)V", 40, 8L, null);
    List<Call> calls = new ArrayList<Call>();
    slots.addCallsTo(calls);
    assertEquals(2, calls.size());
    assertArrayEquals(new Object[] {1, 7}, calls.get(0).args);
    assertArrayEquals(new Object[] {40, 8}, calls.get(1).args);
  }

  /** A batch row: what addBatch() saw, whatever the app sets after it. */
  @Test
  void aSnapshotKeepsItsValuesWhileTheSlotsAreSetAgain() {
    ParameterSlots slots = new ParameterSlots(3);
    slots.set("setInt(II)V", 1, 1L, null);
    slots.set("setString(ILjava/lang/String;)V", 2, 0, "v1");
    ParameterSlots first = slots.snapshot();
    slots.set("setInt(II)V", 1, 2L, null);
    slots.set("setString(ILjava/lang/String;)V", 2, 0, "v2");
    ParameterSlots second = slots.snapshot();
    slots.set("setLong(IJ)V", 1, 3L, null);                                      // another setter
    slots.set("setObject(ILjava/lang/Object;I)V", 2, new Object[] {2, "v3", 12});  // another shape
    slots.set("setInt(II)V", 9, 9L, null);                                       // grows

    assertArrayEquals(new Object[][] {{1, 1}, {2, "v1"}}, argsOf(first));
    assertArrayEquals(new Object[][] {{1, 2}, {2, "v2"}}, argsOf(second));
    assertArrayEquals(new Object[][] {{1, 3L}, {2, "v3", 12}, {9, 9}}, argsOf(slots));
    assertEquals("setInt(II)V", callsOf(second).get(0).method);
    assertEquals("setLong(IJ)V", callsOf(slots).get(0).method);
  }

  @Test
  void slotsHoldingAStreamCannotBeSentAgainNorCanTheirSnapshot() {
    ParameterSlots slots = new ParameterSlots(2);
    slots.set("setInt(II)V", 1, 1L, null);
    assertTrue(slots.isReplayable());
    slots.set("setBinaryStream(ILjava/io/InputStream;)V", 2, 0, new ByteArrayInputStream(new byte[1]));
    ParameterSlots row = slots.snapshot();
    slots.set("setString(ILjava/lang/String;)V", 2, 0, "x");
    assertFalse(row.isReplayable());
    assertTrue(slots.isReplayable());
    slots.set("setObject(ILjava/lang/Object;I)V", 1, new Object[] {1, new StringReader("r"), 12});
    assertFalse(slots.isReplayable());
  }

  private static List<Call> callsOf(ParameterSlots slots) {
    List<Call> calls = new ArrayList<Call>();
    slots.addCallsTo(calls);
    return calls;
  }

  private static Object[][] argsOf(ParameterSlots slots) {
    List<Call> calls = callsOf(slots);
    Object[][] args = new Object[calls.size()][];
    for (int i = 0; i < args.length; i++) {
      args[i] = calls.get(i).args;
    }
    return args;
  }
}
