package connguard.heal.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.heal.call.Call;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleParameterTest {
  /** What a re-execution sends: the same calls as if the slots had recorded it from the start. */
  private static List<Call> replayOf(SingleParameter one, int placeholders) {
    List<Call> calls = new ArrayList<Call>();
    one.toSlots(placeholders).addCallsTo(calls);
    return calls;
  }

  @Test
  void itsSlotsReplayTheValueWithItsOwnType() {
    Object[][] cases = {
        {"setInt(II)V", -5L, null, -5},
        {"setLong(IJ)V", Long.MIN_VALUE, null, Long.MIN_VALUE},
        {"setDouble(ID)V", Double.doubleToRawLongBits(0.1), null, 0.1},
        {"setBoolean(IZ)V", 0L, Boolean.TRUE, true},
        {"setString(ILjava/lang/String;)V", 0L, "x", "x"},
    };
    for (Object[] c : cases) {
      SingleParameter one = new SingleParameter((String) c[0], 1, (Long) c[1], c[2]);
      List<Call> calls = replayOf(one, 1);
      assertEquals(1, calls.size(), (String) c[0]);
      assertEquals(c[0], calls.get(0).method);
      assertArrayEquals(new Object[] {1, c[3]}, calls.get(0).args, (String) c[0]);
      assertEquals(c[3].getClass(), calls.get(0).args[1].getClass(), (String) c[0]);   // the box type
    }
  }

  /** A statement reused in a loop: each set replaces the last, whatever setter it used. */
  @Test
  void aLaterSetReplacesTheEarlierOneAcrossSetterKinds() {
    SingleParameter one = new SingleParameter("setString(ILjava/lang/String;)V", 1, 0L, "old");
    one.set("setInt(II)V", 7L, null);
    assertArrayEquals(new Object[] {1, 7}, replayOf(one, 1).get(0).args);

    one.set("setString(ILjava/lang/String;)V", 0L, "new");
    List<Call> calls = replayOf(one, 1);
    assertEquals("setString(ILjava/lang/String;)V", calls.get(0).method);
    assertArrayEquals(new Object[] {1, "new"}, calls.get(0).args);

    one.set("setInt(II)V", 9L, null);
    assertArrayEquals(new Object[] {1, 9}, replayOf(one, 1).get(0).args);
  }

  /** More indexes than the SQL's placeholders said: the slots it becomes take the rest. */
  @Test
  void itsSlotsHoldItAndGrowForASecondIndex() {
    SingleParameter one = new SingleParameter("setInt(II)V", 1, 3L, null);
    ParameterSlots slots = one.toSlots(1);
    slots.set("setString(ILjava/lang/String;)V", 2, 0L, "b");
    List<Call> calls = new ArrayList<Call>();
    slots.addCallsTo(calls);
    assertEquals(2, calls.size());
    assertArrayEquals(new Object[] {1, 3}, calls.get(0).args);
    assertArrayEquals(new Object[] {2, "b"}, calls.get(1).args);
  }

  @Test
  void aStreamIsNotReplayableAndAValueIs() {
    assertTrue(new SingleParameter("setInt(II)V", 1, 1L, null).isReplayable());
    assertTrue(new SingleParameter("setString(ILjava/lang/String;)V", 1, 0L, "s").isReplayable());
    SingleParameter stream = new SingleParameter("setBinaryStream(ILjava/io/InputStream;)V", 1, 0L,
        new ByteArrayInputStream(new byte[1]));
    assertFalse(stream.isReplayable());
    assertFalse(stream.toSlots(1).isReplayable());
  }
}
