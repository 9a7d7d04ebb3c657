package connguard.heal.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Digest comparison of what the app read; values as getObject returns them, no database. */
class RowDigestTest {

  private static RowDigest of(Object[]... rows) throws Exception {
    RowDigest digest = new RowDigest();
    for (Object[] row : rows) {
      digest.addRow(row);
    }
    return digest;
  }

  private static Object[] row(Object... values) {
    return values;
  }

  @Test
  void sameRowsAreIdentical() throws Exception {
    assertNull(of(row(1, "a"), row(2, null)).differenceFrom(of(row(1, "a"), row(2, null))));
  }

  @Test
  void aChangedValueIsADifference() throws Exception {
    String difference = of(row(1, "a"), row(2, "b")).differenceFrom(of(row(1, "a"), row(2, "changed")));
    assertNotNull(difference);
    assertTrue(difference.contains("changed since"), difference);
  }

  @Test
  void fewerRowsIsADifference() throws Exception {
    String difference = of(row(1), row(2)).differenceFrom(of(row(1)));
    assertTrue(difference.contains("2 rows the first time; now there are only 1"), difference);
  }

  @Test
  void typesAndNullsAreTold() throws Exception {
    assertNotNull(of(row(1)).differenceFrom(of(row(1L))), "Integer 1 and Long 1");
    assertNotNull(of(row("1")).differenceFrom(of(row(1))), "text and number");
    assertNotNull(of(row((Object) null)).differenceFrom(of(row("null"))), "NULL and the text null");
    assertNotNull(of(row(new BigDecimal("1.0"))).differenceFrom(of(row(new BigDecimal("1.00")))));
  }

  @Test
  void columnBoundariesCount() throws Exception {
    assertNotNull(of(row("ab", "c")).differenceFrom(of(row("a", "bc"))));
    assertNotNull(of(row("a", "b")).differenceFrom(of(row("a"), row("b"))), "one row of two, two rows of one");
  }

  @Test
  void bytesAreComparedByContent() throws Exception {
    assertNull(of(row(new byte[] {1, 2})).differenceFrom(of(row(new byte[] {1, 2}))));
    assertNotNull(of(row(new byte[] {1, 2})).differenceFrom(of(row(new byte[] {1, 3}))));
  }

  @Test
  void rowOrderMatters() throws Exception {
    assertNotNull(of(row(1), row(2)).differenceFrom(of(row(2), row(1))));
  }

  @Test
  void countsRowsAndTheEnd() throws Exception {
    RowDigest digest = of(row(1), row(2));
    assertEquals(2, digest.rows());
    digest.end();
    assertTrue(digest.sawEnd());
    assertNotEquals(RowDigest.mix(0, "a"), RowDigest.mix(0, "b"));
  }
}
