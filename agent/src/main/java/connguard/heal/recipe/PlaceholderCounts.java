package connguard.heal.recipe;

/**
 * How many '?' the SQL a connection prepares has: the size of a statement's parameter slots, so
 * they are made once. A pooled app prepares the same SQL literal at every borrow; counting it
 * again each time scans the whole text (a few hundred ns for a long query), so the last few
 * strings are remembered by identity.
 *
 * <p>Only a hint: a '?' in a literal, a comment or an operator (PostgreSQL's ?|) makes it larger,
 * never wrong, and slots grow past it. A connection is used by one thread at a time; a racing
 * reader could at worst read another string's count, which only sizes the slots.
 */
public final class PlaceholderCounts {
  private static final int SLOTS = 4;
  private final String[] sql = new String[SLOTS];
  private final int[] counts = new int[SLOTS];
  private int next;

  public int of(String text) {
    if (text == null) {
      return 0;
    }
    for (int i = 0; i < SLOTS; i++) {
      if (sql[i] == text) {
        return counts[i];
      }
    }
    int count = count(text);
    int slot = next;
    next = (slot + 1) % SLOTS;
    counts[slot] = count;
    sql[slot] = text;
    return count;
  }

  private static int count(String text) {
    int count = 0;
    for (int i = 0; i < text.length() && count < ParameterSlots.MAX_POSITION; i++) {
      if (text.charAt(i) == '?') {
        count++;
      }
    }
    return count;
  }
}
