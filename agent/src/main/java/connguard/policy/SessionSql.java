package connguard.policy;

import java.util.Arrays;

/**
 * A cheap first look at SQL that just succeeded: could it have changed the session (SET, USE,
 * BEGIN, a temp table, an advisory lock, set_config, SELECT ... INTO @v ...)? Runs on the success
 * path of every Statement.execute, so it reads the first keyword and scans once for the marks of
 * a session effect; only a yes pays for {@link SqlFacts}. Its words are {@link SqlWords}' own
 * (SESSION_EFFECT_LEADS, SESSION_MARKS), the ones the full reading finds session effects by.
 * False positives cost a lex; a false negative would lose session state, so when unsure: yes.
 */
public final class SessionSql {
  private static final char[][] MARKS = new char[SqlWords.SESSION_MARKS.length][];
  /** The mark looked for only after a read's leading keyword (every INSERT says INTO). */
  private static final int READ_ONLY_MARK = Arrays.asList(SqlWords.SESSION_MARKS).indexOf("into");
  private static final boolean[] MARK_STARTS = new boolean[128];
  private static final String[] SESSION_LEADS = SqlWords.SESSION_EFFECT_LEADS.toArray(new String[0]);
  private static final String[] READ_LEADS = SqlWords.READ_LEADS.toArray(new String[0]);

  static {
    for (int m = 0; m < MARKS.length; m++) {
      MARKS[m] = SqlWords.SESSION_MARKS[m].toCharArray();
      char c = MARKS[m][0];
      MARK_STARTS[c] = true;
      if (c >= 'a' && c <= 'z') {
        MARK_STARTS[c - ('a' - 'A')] = true;
      }
    }
    MARK_STARTS[';'] = true;
  }

  private SessionSql() {}

  public static boolean mayChangeSession(String sql) {
    int i = skipBlanksAndComments(sql, 0);
    if (i < 0) {
      return true;        // unterminated or executable comment: let the lexer decide
    }
    int end = i;
    while (end < sql.length() && isAsciiLetter(sql.charAt(end))) {
      end++;
    }
    if (end == i) {
      return i < sql.length();   // starts with something odd (# or // comment, brace escape): unsure
    }
    if (isOneOf(sql, i, end - i, SESSION_LEADS)) {
      return true;
    }
    return hasMark(sql, end, isOneOf(sql, i, end - i, READ_LEADS));
  }

  private static boolean isOneOf(String sql, int at, int length, String[] words) {
    for (String word : words) {
      if (word.length() == length && sql.regionMatches(true, at, word, 0, length)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a session mark appears from {@code from} on (in a literal too: a false yes is cheap), or
   * a ";" with more text after it (a second statement, which may be anything).
   */
  private static boolean hasMark(String sql, int from, boolean read) {
    int n = sql.length();
    for (int i = from; i < n; i++) {
      char c = sql.charAt(i);
      if (c >= 128 || !MARK_STARTS[c]) {
        continue;
      }
      if (c == ';') {
        if (skipBlanksAndComments(sql, i + 1) != n) {
          return true;
        }
        continue;
      }
      for (int m = 0; m < MARKS.length; m++) {
        if ((read || m != READ_ONLY_MARK) && startsWithIgnoreCase(sql, i, MARKS[m])) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean startsWithIgnoreCase(String sql, int at, char[] mark) {
    if (at + mark.length > sql.length()) {
      return false;
    }
    for (int k = 0; k < mark.length; k++) {
      char c = sql.charAt(at + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != mark[k]) {
        return false;
      }
    }
    return true;
  }

  /** Index of the first token, sql.length() if none, or -1 when a comment makes us unsure. */
  private static int skipBlanksAndComments(String sql, int from) {
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (c == '-' && sql.startsWith("--", i)) {
        int newline = sql.indexOf('\n', i);
        if (newline < 0) {
          return sql.length();
        }
        i = newline + 1;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
          return -1;      // MySQL runs what this comment holds
        }
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          return -1;
        }
        i = close + 2;
      } else {
        return i;
      }
    }
    return i;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
