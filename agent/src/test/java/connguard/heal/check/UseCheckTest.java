package connguard.heal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import connguard.bridge.MethodKind;
import connguard.config.Durations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules before use, each at its edge. The wrap-around arithmetic is IdleArithmeticTest's. */
class UseCheckTest {
  private static final long TWO_SECONDS = 2_000_000_000L;

  @Test
  void dueOnlyPastALimitNotAtIt() {
    assertFalse(UseCheck.isDue(TWO_SECONDS, 0, TWO_SECONDS, Durations.OFF));
    assertTrue(UseCheck.isDue(TWO_SECONDS + 1, 0, TWO_SECONDS, Durations.OFF));
    assertTrue(UseCheck.isDue(0, TWO_SECONDS + 1, Durations.OFF, TWO_SECONDS));
    assertFalse(UseCheck.isDue(Long.MAX_VALUE, Long.MAX_VALUE, Durations.OFF, Durations.OFF));
  }

  @Test
  void aDriverThatFailsOverByItselfIsNeitherProbedNorRecycled() {
    assertTrue(UseCheck.validates(TWO_SECONDS + 1, TWO_SECONDS, false));
    assertFalse(UseCheck.validates(TWO_SECONDS + 1, TWO_SECONDS, true));
    assertTrue(UseCheck.recycles(TWO_SECONDS + 1, TWO_SECONDS, false));
    assertFalse(UseCheck.recycles(TWO_SECONDS + 1, TWO_SECONDS, true));
    // Due all the same: the caller still looks (a connection known dead heals whatever the URL).
    assertTrue(UseCheck.isDue(TWO_SECONDS + 1, 0, TWO_SECONDS, Durations.OFF));
  }

  @Test
  void aLostTransactionRefusesWhatWouldCarryOnAndLetsThroughWhatEndsIt() {
    List<Integer> refused = new ArrayList<>();
    for (int operation = 0; operation < 64; operation++) {
      if (UseCheck.refusedInLostTransaction(operation)) {
        refused.add(operation);
      }
    }
    List<Integer> expected = new ArrayList<>();
    expected.add(MethodKind.STMT_EXECUTE);
    expected.add(MethodKind.CONN_COMMIT);
    expected.add(MethodKind.CONN_SAVEPOINT);
    expected.sort(null);
    assertEquals(expected, refused);
    assertFalse(UseCheck.refusedInLostTransaction(MethodKind.CONN_ROLLBACK));
    assertFalse(UseCheck.refusedInLostTransaction(MethodKind.CONN_SETTER));
  }
}
