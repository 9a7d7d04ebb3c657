package connguard.heal.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlaceholderCountsTest {
  @Test
  void countsEveryQuestionMarkAndNothingForNoSql() {
    PlaceholderCounts counts = new PlaceholderCounts();
    assertEquals(0, counts.of(null));
    assertEquals(0, counts.of("select 1"));
    assertEquals(1, counts.of("select ?"));
    assertEquals(3, counts.of("insert into t values (?, ?, '?')"));   // a hint: the literal's counts too
  }

  /** More strings than it remembers, in turn: each answer is its own string's, also after eviction. */
  @Test
  void rememberedAndEvictedStringsAnswerTheirOwnCount() {
    PlaceholderCounts counts = new PlaceholderCounts();
    String[] sql = new String[7];
    for (int i = 0; i < sql.length; i++) {
      StringBuilder text = new StringBuilder("select ");
      for (int q = 0; q < i; q++) {
        text.append("?, ");
      }
      sql[i] = text.append('1').toString();
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < sql.length; i++) {
        assertEquals(i, counts.of(sql[i]), sql[i]);
        assertEquals(i, counts.of(sql[i]), "again: " + sql[i]);
      }
    }
  }
}
