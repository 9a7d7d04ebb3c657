package connguard.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The user's idempotentSql regex, matched with a bounded amount of work. */
public final class IdempotentSql {
  public static final IdempotentSql NONE = new IdempotentSql(null);

  // A regex like (a+)+$ backtracks exponentially; the user wrote it, the app's SQL feeds it, and
  // it runs on the app's thread. Counting charAt() calls bounds it without a thread or a timer.
  private static final long BASE_BUDGET = 200_000;
  private static final long BUDGET_PER_CHAR = 50;

  private final Pattern pattern;

  private IdempotentSql(Pattern pattern) {
    this.pattern = pattern;
  }

  /** @throws PatternSyntaxException if the regex does not compile */
  public static IdempotentSql compile(String regex) {
    return new IdempotentSql(Pattern.compile(regex));
  }

  /** find() semantics: true if the regex matches anywhere in sql. False for NONE, null sql, or when the budget ran out. */
  public boolean matches(String sql) {
    if (pattern == null || sql == null) {
      return false;
    }
    try {
      return pattern.matcher(new BoundedText(sql, BASE_BUDGET + BUDGET_PER_CHAR * sql.length())).find();
    } catch (BudgetExhausted gaveUp) {
      // Correctness over availability: an undecided match means "not idempotent", so a write
      // whose outcome is unknown is not run twice.
      return false;
    } catch (StackOverflowError gaveUp) {
      // java.util.regex recurses per repetition of a group, so a long statement can exhaust the
      // app thread's stack before the budget; same safe answer.
      return false;
    }
  }

  /** The regex as written, or "none". */
  @Override
  public String toString() {
    return pattern == null ? "none" : pattern.pattern();
  }

  /** The SQL text as the matcher sees it: every charAt() spends budget, and none is left it stops the match. */
  private static final class BoundedText implements CharSequence {
    private final String text;
    private long budget;

    BoundedText(String text, long budget) {
      this.text = text;
      this.budget = budget;
    }

    @Override
    public char charAt(int index) {
      if (--budget < 0) {
        throw new BudgetExhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    // Matcher.find() never asks for a sub-sequence (only group() does), so this is not counted.
    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** Thrown through the matcher to stop it; never leaves this class. */
  private static final class BudgetExhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExhausted() {
      super(null, null, false, false);   // no stack trace: it is control flow, not a bug report
    }
  }
}
