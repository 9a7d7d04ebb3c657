package connguard.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits SQL text into statements of tokens, skipping whitespace, comments and the insides of
 * literals. One reading per call: the PostgreSQL reading (nested block comments, dollar quotes,
 * {@code #} is an operator) or the MySQL reading ({@code #} starts a comment, {@code --} needs a
 * space after it, block comments do not nest, {@code $} is an identifier character). Where the two
 * servers could split the same text differently, {@link SqlFacts} reads it both ways.
 *
 * <p>The reading stops, incomplete, wherever the text cannot be read with certainty: an
 * unterminated literal or comment, a quoted text containing a backslash (PostgreSQL standard
 * strings end it at a different quote than MySQL or {@code E''} escapes, which could hide code),
 * or a MySQL executable comment ({@code /*!...*}{@code /}, whose content runs).
 */
final class SqlLexer {

  enum Type { WORD, QUOTED, STRING, NUMBER, PARAM, SYMBOL }

  /** One token. A WORD's text is lower-cased (ASCII only); a SYMBOL's text is its characters. */
  static final class Token {
    final Type type;
    final String text;

    Token(Type type, String text) {
      this.type = type;
      this.text = text;
    }

    boolean isWord(String word) {
      return type == Type.WORD && text.equals(word);
    }

    boolean isSymbol(String symbol) {
      return type == Type.SYMBOL && text.equals(symbol);
    }

    @Override
    public String toString() {
      return type + ":" + text;
    }
  }

  /** The statements read, whether the whole text was read, and what its comments said. */
  static final class Result {
    final List<List<Token>> statements;
    final boolean complete;
    /** A block comment read as a comment said {@code connguard:idempotent}. */
    final boolean idempotentHint;

    Result(List<List<Token>> statements, boolean complete, boolean idempotentHint) {
      this.statements = Collections.unmodifiableList(statements);
      this.complete = complete;
      this.idempotentHint = idempotentHint;
    }
  }

  static final String IDEMPOTENT_HINT = "connguard:idempotent";
  static final String NEVER_RETRY_HINT = "connguard:never-retry";

  private final String sql;
  private final boolean mysql;
  private final List<List<Token>> statements = new ArrayList<List<Token>>();
  private List<Token> current = new ArrayList<Token>();
  private boolean idempotentHint;

  private SqlLexer(String sql, boolean mysql) {
    this.sql = sql;
    this.mysql = mysql;
  }

  static Result postgres(String sql) {
    return new SqlLexer(sql, false).run();
  }

  static Result mysql(String sql) {
    return new SqlLexer(sql, true).run();
  }

  private Result run() {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : 0;
      if (c <= ' ') {
        i++;
      } else if (c == '-' && next == '-' && (!mysql || i + 2 >= n || sql.charAt(i + 2) <= ' ')) {
        i = endOfLine(i);                       // MySQL: "--" is a comment only before a space
      } else if (c == '#' && mysql) {
        i = endOfLine(i);
      } else if (c == '/' && next == '*') {
        i = blockComment(i);
      } else if (c == '\'') {
        i = quoted(i, '\'', true, Type.STRING);
      } else if (c == '"') {
        i = quoted(i, '"', true, Type.QUOTED);  // a string in MySQL: backslash matters there too
      } else if (c == '`') {
        i = quoted(i, '`', false, Type.QUOTED); // MySQL identifiers take no backslash escapes
      } else if (c == '$' && !mysql) {
        i = dollar(i);
      } else if (c == ';') {
        endStatement();
        i++;
      } else if (isDigit(c)) {
        i = word(i, Type.NUMBER);
      } else if (isIdentifierStart(c) || (c == '$' && mysql)) {
        i = word(i, Type.WORD);
      } else if (c == ':' && (next == ':' || next == '=')) {
        current.add(new Token(Type.SYMBOL, sql.substring(i, i + 2)));
        i += 2;
      } else {
        current.add(new Token(Type.SYMBOL, String.valueOf(c)));
        i++;
      }
      if (i < 0) {
        return finish(false);
      }
    }
    return finish(true);
  }

  private Result finish(boolean complete) {
    endStatement();
    return new Result(statements, complete, idempotentHint);
  }

  private void endStatement() {
    if (!current.isEmpty()) {
      statements.add(Collections.unmodifiableList(current));
      current = new ArrayList<Token>();
    }
  }

  private int endOfLine(int i) {
    int n = sql.length();
    while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** Index after the comment, or -1 when the text cannot be read with certainty. */
  private int blockComment(int start) {
    int n = sql.length();
    int i = start + 2;
    int end;
    if (mysql) {
      // /*! and /*M! comments are executed by MySQL and MariaDB: their content is code.
      if (i < n && (sql.charAt(i) == '!' || (sql.charAt(i) == 'M' && i + 1 < n
          && sql.charAt(i + 1) == '!'))) {
        return -1;
      }
      int close = sql.indexOf("*/", i);
      end = close < 0 ? -1 : close + 2;       // MySQL comments do not nest
    } else {
      int depth = 1;                          // PostgreSQL comments nest
      end = -1;
      while (i < n) {
        if (sql.startsWith("/*", i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith("*/", i)) {
          depth--;
          i += 2;
          if (depth == 0) {
            end = i;
            break;
          }
        } else {
          i++;
        }
      }
    }
    if (end >= 0 && mentions(sql.substring(start + 2, end - 2), IDEMPOTENT_HINT)) {
      idempotentHint = true;
    }
    return end;
  }

  /** Index after a quoted text with doubled-quote escapes, or -1. */
  private int quoted(int start, char quote, boolean backslashIsAmbiguous, Type type) {
    int n = sql.length();
    int i = start + 1;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        current.add(new Token(type, sql.substring(start + 1, i)));
        return i + 1;
      }
      if (c == '\\' && backslashIsAmbiguous) {
        return -1;
      }
      i++;
    }
    return -1;
  }

  /** PostgreSQL: $1 parameter, $$...$$ or $tag$...$tag$ string, or a lone $ symbol. */
  private int dollar(int start) {
    int n = sql.length();
    int i = start + 1;
    if (i < n && isDigit(sql.charAt(i))) {
      while (i < n && isDigit(sql.charAt(i))) {
        i++;
      }
      current.add(new Token(Type.PARAM, sql.substring(start, i)));
      return i;
    }
    if (i < n && isIdentifierStart(sql.charAt(i))) {
      while (i < n && isIdentifierPart(sql.charAt(i)) && sql.charAt(i) != '$') {
        i++;
      }
    }
    if (i < n && sql.charAt(i) == '$') {
      String tag = sql.substring(start, i + 1);
      int close = sql.indexOf(tag, i + 1);
      if (close < 0) {
        return -1;
      }
      current.add(new Token(Type.STRING, sql.substring(i + 1, close)));
      return close + tag.length();
    }
    current.add(new Token(Type.SYMBOL, "$"));
    return start + 1;
  }

  private int word(int start, Type type) {
    int n = sql.length();
    int i = start + 1;
    while (i < n && (isIdentifierPart(sql.charAt(i)) || (type == Type.NUMBER
        && sql.charAt(i) == '.'))) {
      i++;
    }
    String text = sql.substring(start, i);
    current.add(new Token(type, type == Type.WORD ? asciiLower(text) : text));
    return i;
  }

  /** Keywords are ASCII case-insensitive in both servers; never use the default locale. */
  static String asciiLower(String s) {
    char[] out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = s.toCharArray();
        }
        out[i] = (char) (c + ('a' - 'A'));
      }
    }
    return out == null ? s : new String(out);
  }

  /** Whether text contains the hint as a whole word, ASCII case-insensitively. */
  static boolean mentions(String text, String hint) {
    String lower = asciiLower(text);
    for (int at = lower.indexOf(hint); at >= 0; at = lower.indexOf(hint, at + 1)) {
      int end = at + hint.length();
      boolean startsWord = at == 0 || !isHintPart(lower.charAt(at - 1));
      boolean endsWord = end == lower.length() || !isHintPart(lower.charAt(end));
      if (startsWord && endsWord) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHintPart(char c) {
    return isIdentifierPart(c) || c == '-' || c == ':';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Both servers take any non-ASCII character as part of an identifier. */
  static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }
}
