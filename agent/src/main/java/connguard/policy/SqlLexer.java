package connguard.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits SQL text into statements of tokens, skipping whitespace, comments and the insides of
 * literals, the way one server reads it ({@link Reading}): PostgreSQL (nested block comments,
 * dollar quotes, {@code E''} escapes, {@code #} is an operator), MySQL and MariaDB ({@code #}
 * starts a comment, {@code --} needs a space after it, block comments do not nest, {@code $} is an
 * identifier character, backslash escapes unless NO_BACKSLASH_ESCAPES, {@code /*!...*}{@code /}
 * holds code), H2 ({@code //} comments). Where the same text could be split differently by
 * settings the agent cannot see, {@link SqlFacts} reads it both ways and the readings must agree.
 *
 * <p>The reading stops, incomplete, wherever the text cannot be read with certainty: an
 * unterminated literal or comment, or, in the readings for an unknown server, a quoted text
 * containing a backslash or a MySQL executable comment.
 */
final class SqlLexer {

  enum Type { WORD, QUOTED, STRING, NUMBER, PARAM, SYMBOL }

  /** How one server splits text: comments, quotes and what a backslash does inside them. */
  enum Reading {
    /** PostgreSQL, backslash in a quoted text unreadable (the server's setting is unknown). */
    POSTGRES_AMBIGUOUS(false, Backslash.STOPS, true),
    /** PostgreSQL with standard_conforming_strings on: '\' is a backslash, E'\'' escapes. */
    POSTGRES(false, Backslash.LITERAL, true),
    /** PostgreSQL with standard_conforming_strings off: a backslash escapes in every string. */
    POSTGRES_ESCAPES(false, Backslash.ESCAPES, true),
    /** MySQL family, backslash and executable comments unreadable (server unknown). */
    MYSQL_AMBIGUOUS(true, Backslash.STOPS, false),
    /** MySQL family, default sql_mode: a backslash escapes in '' and "" strings. */
    MYSQL(true, Backslash.ESCAPES, false),
    /** MySQL family with NO_BACKSLASH_ESCAPES (or ANSI_QUOTES for ""). */
    MYSQL_NO_ESCAPES(true, Backslash.LITERAL, false),
    /** H2: standard strings, {@code //} and {@code --} line comments, block comments do not nest. */
    H2(false, Backslash.LITERAL, false);

    final boolean mysql;
    final Backslash backslash;
    final boolean nestedComments;

    Reading(boolean mysql, Backslash backslash, boolean nestedComments) {
      this.mysql = mysql;
      this.backslash = backslash;
      this.nestedComments = nestedComments;
    }
  }

  /** What a backslash inside a quoted text does. */
  enum Backslash { STOPS, LITERAL, ESCAPES }

  /** What a MySQL executable comment ({@code /*!NNNNN ... *}{@code /}, {@code /*M!...}) holds. */
  enum VersionComments {
    /** Unreadable: the server runs its content, which we do not read (unknown server). */
    STOP,
    /** Code when every supported server runs it, else code, noted as undecided. */
    CODE,
    /** Code when every supported server runs it, else a comment: the other undecided reading. */
    COMMENT
  }

  /**
   * MySQL 5.7 and every MariaDB 10+ run /*!NNNNN comments up to this version: below it the content
   * is code on every server we support; above it, it depends on the server's version.
   */
  static final int ALWAYS_RUN_VERSION = 50700;
  /** MariaDB runs /*M!NNNNNN comments up to its own version; 10.0.0 and older run everywhere. */
  static final int ALWAYS_RUN_MARIADB_VERSION = 100000;

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
    /**
     * A "..." text held a backslash: under MySQL's ANSI_QUOTES it is a name, where a backslash
     * escapes nothing, so a server with other settings splits it otherwise.
     */
    final boolean sawBackslash;
    /** An executable comment whose content runs on some supported servers and not on others. */
    final boolean sawUndecidedComment;

    Result(List<List<Token>> statements, boolean complete, boolean idempotentHint,
        boolean sawBackslash, boolean sawUndecidedComment) {
      this.statements = Collections.unmodifiableList(statements);
      this.complete = complete;
      this.idempotentHint = idempotentHint;
      this.sawBackslash = sawBackslash;
      this.sawUndecidedComment = sawUndecidedComment;
    }
  }

  static final String IDEMPOTENT_HINT = "connguard:idempotent";
  static final String NEVER_RETRY_HINT = "connguard:never-retry";

  private final String sql;
  private final Reading reading;
  private final boolean mysql;
  private final VersionComments versionComments;
  private final boolean mariadb;
  private final List<List<Token>> statements = new ArrayList<List<Token>>();
  private List<Token> current = new ArrayList<Token>();
  private boolean idempotentHint;
  private boolean sawBackslash;
  private boolean sawUndecidedComment;
  private boolean inVersionComment;

  private SqlLexer(String sql, Reading reading, VersionComments versionComments, boolean mariadb) {
    this.sql = sql;
    this.reading = reading;
    this.mysql = reading.mysql;
    this.versionComments = reading == Reading.MYSQL_AMBIGUOUS ? VersionComments.STOP : versionComments;
    this.mariadb = mariadb;
  }

  /** The PostgreSQL reading for an unknown server: a backslash in a quoted text stops it. */
  static Result postgres(String sql) {
    return read(sql, Reading.POSTGRES_AMBIGUOUS, VersionComments.STOP, false);
  }

  /** The MySQL reading for an unknown server: backslashes and executable comments stop it. */
  static Result mysql(String sql) {
    return read(sql, Reading.MYSQL_AMBIGUOUS, VersionComments.STOP, false);
  }

  /**
   * @param versionComments what MySQL executable comments hold (ignored outside MySQL readings)
   * @param mariadb the server is MariaDB, whose /*M! comments hold code; else they are undecided
   */
  static Result read(String sql, Reading reading, VersionComments versionComments, boolean mariadb) {
    return new SqlLexer(sql, reading, versionComments, mariadb).run();
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
      } else if (c == '/' && next == '/' && reading == Reading.H2) {
        i = endOfLine(i);
      } else if (c == '*' && next == '/' && inVersionComment) {
        inVersionComment = false;               // the end of /*!...*/ read as code
        i += 2;
      } else if (c == '/' && next == '*') {
        i = blockComment(i);
      } else if (c == '\'') {
        i = quoted(i, '\'', stringBackslash(), Type.STRING);
      } else if ((c == 'e' || c == 'E') && next == '\'' && !mysql && reading != Reading.H2
          && !isIdentifierPart(i > 0 ? sql.charAt(i - 1) : ' ')) {
        // PostgreSQL E'...': backslash escapes whatever standard_conforming_strings says.
        i = quoted(i + 1, '\'', reading.backslash == Backslash.STOPS ? Backslash.STOPS
            : Backslash.ESCAPES, Type.STRING);
      } else if (c == '"') {
        // MySQL: a string (an identifier under ANSI_QUOTES), read as a quoted name so that "f"(x)
        // counts as a call; PostgreSQL and H2: an identifier, where a backslash is a character.
        i = quoted(i, '"', mysql || reading.backslash == Backslash.STOPS ? stringBackslash()
            : Backslash.LITERAL, Type.QUOTED);
      } else if (c == '`') {
        i = quoted(i, '`', Backslash.LITERAL, Type.QUOTED); // MySQL identifiers take no escapes
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
    return new Result(statements, complete && !inVersionComment, idempotentHint, sawBackslash,
        sawUndecidedComment);
  }

  private Backslash stringBackslash() {
    return reading.backslash;
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
    if (mysql && i < n && (sql.charAt(i) == '!' || (sql.charAt(i) == 'M' && i + 1 < n
        && sql.charAt(i + 1) == '!'))) {
      return versionComment(start);
    }
    if (!reading.nestedComments) {
      int close = sql.indexOf("*/", i);
      end = close < 0 ? -1 : close + 2;       // MySQL and H2 comments do not nest
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

  /**
   * /*!NNNNN ... *}{@code /} (MySQL and MariaDB) or /*M!NNNNNN ... *}{@code /} (MariaDB only): the
   * server runs the content when its version is at least NNNNN. Returns the index where reading
   * goes on (inside the comment when its content is code), or -1.
   */
  private int versionComment(int start) {
    if (versionComments == VersionComments.STOP || inVersionComment) {
      return -1;
    }
    boolean mariadbOnly = sql.charAt(start + 2) == 'M';
    int i = start + (mariadbOnly ? 4 : 3);
    int digitsFrom = i;
    int digits = mariadbOnly ? 6 : 5;             // MySQL reads five digits, MariaDB's /*M! six
    while (i < sql.length() && isDigit(sql.charAt(i)) && i - digitsFrom < digits) {
      i++;
    }
    int version = i == digitsFrom ? 0 : Integer.parseInt(sql.substring(digitsFrom, i));
    boolean alwaysRuns = mariadbOnly ? mariadb && version <= ALWAYS_RUN_MARIADB_VERSION
        : version <= ALWAYS_RUN_VERSION;
    if (!alwaysRuns) {
      sawUndecidedComment = true;
      if (versionComments == VersionComments.COMMENT) {
        int close = sql.indexOf("*/", i);
        return close < 0 ? -1 : close + 2;
      }
    }
    inVersionComment = true;
    return i;
  }

  /** Index after a quoted text with doubled-quote escapes, or -1. */
  private int quoted(int start, char quote, Backslash backslash, Type type) {
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
      if (c == '\\') {
        sawBackslash |= quote == '"';
        if (backslash == Backslash.STOPS) {
          return -1;
        }
        if (backslash == Backslash.ESCAPES) {
          i += 2;                               // the escaped character, a quote included
          continue;
        }
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
