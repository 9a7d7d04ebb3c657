package connguard.policy;

/**
 * A cheap first look at SQL that just succeeded: could it have changed the session (SET, USE,
 * BEGIN, a temp table, an advisory lock ...)? Runs on the success path of every Statement.execute,
 * so it reads at most the first keyword and scans for "lock"; only a yes pays for {@link SqlFacts}.
 * False positives cost a lex; a false negative would lose session state, so when unsure: yes.
 */
public final class SessionSql {
  private static final String[] SESSION_KEYWORDS = {
      "set", "use", "reset", "discard", "begin", "start", "commit", "end", "rollback", "abort",
      "create", "declare", "listen", "prepare", "lock"};

  private SessionSql() {}

  public static boolean mayChangeSession(String sql) {
    int i = skipBlanksAndComments(sql, 0);
    if (i < 0) {
      return true;        // unterminated comment: let the lexer decide
    }
    int end = i;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    int length = end - i;
    if (length == 0) {
      return i < sql.length();   // starts with something odd (nested comment, brace escape): unsure
    }
    for (String keyword : SESSION_KEYWORDS) {
      if (keyword.length() == length && sql.regionMatches(true, i, keyword, 0, length)) {
        return true;
      }
    }
    // pg_advisory_lock(...), GET_LOCK(...) inside a SELECT hold a session-level lock.
    return containsIgnoreCase(sql, "lock");
  }

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

  private static boolean containsIgnoreCase(String text, String lowerNeedle) {
    int last = text.length() - lowerNeedle.length();
    for (int i = 0; i <= last; i++) {
      char c = text.charAt(i);
      if ((c == 'l' || c == 'L') && text.regionMatches(true, i, lowerNeedle, 0, lowerNeedle.length())) {
        return true;
      }
    }
    return false;
  }
}
