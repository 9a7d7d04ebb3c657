package connguard.policy;

import connguard.policy.FunctionCatalog.Effect;
import connguard.policy.SqlLexer.Token;
import connguard.policy.SqlLexer.Type;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The facts of one statement (no ";" inside), from its tokens and what the server's functions do
 * ({@link FunctionCatalog}). Unsure means write.
 */
final class StatementFacts {
  private final List<Token> tokens;
  private final FunctionCatalog catalog;
  /** The worst effect met in a read-led statement, and its words for the log; see {@link #worse}. */
  private Effect effect = Effect.NONE;
  private String detail;

  private StatementFacts(List<Token> tokens, FunctionCatalog catalog) {
    this.tokens = tokens;
    this.catalog = catalog;
  }

  static SqlFacts of(List<Token> tokens, FunctionCatalog catalog) {
    StatementFacts statement = new StatementFacts(tokens, catalog);
    return statement.facts().withSessionLockChange(statement.sessionLockChange());
  }

  /** See {@link SqlFacts#sessionLockChange()}: the lock and unlock calls the text makes. */
  private int sessionLockChange() {
    int change = 0;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      Token w = tokens.get(i);
      if (w.type != Type.WORD || !tokens.get(i + 1).isSymbol("(")) {
        continue;
      }
      if (SqlWords.SESSION_UNLOCK_ALL_FUNCTIONS.contains(w.text)) {
        return SqlFacts.RELEASES_ALL_LOCKS;
      }
      if (SqlWords.SESSION_LOCK_FUNCTIONS.contains(w.text)) {
        change++;
      } else if (SqlWords.SESSION_UNLOCK_FUNCTIONS.contains(w.text)) {
        change--;
      }
    }
    return change;
  }

  private SqlFacts facts() {
    int lead = 0;
    while (lead < tokens.size() && tokens.get(lead).isSymbol("(")) {
      lead++;                                       // (SELECT ...) UNION (SELECT ...)
    }
    Token first = token(lead);
    if (first == null || first.type != Type.WORD
        || (lead > 0 && !SqlWords.READ_LEADS.contains(first.text))) {
      return unknown();
    }
    String k = first.text;
    Token second = token(1);
    if (SqlWords.READ_LEADS.contains(k)) {
      return read(0, k.equals("show"));
    }
    switch (k) {
      case "call":
        // H2's CALL evaluates an expression (CALL CURRENT_TIMESTAMP(), CALL IDENTITY()): it is
        // judged by what it calls, like a SELECT. Elsewhere CALL runs a procedure.
        return catalog.dialect() == Dialect.H2 ? read(1, false) : writeLed(k);
      case "set":
        return set();
      case "use":
        return replayedSessionChange();
      case "reset":
        if (second != null && SqlWords.SERVER_RESETS.contains(second.text)) {
          return serverChange();                    // MySQL RESET MASTER etc.
        }
        // RESET x and RESET ALL are replayed in order like a SET: RESET ALL leaves role and
        // session authorization as they were, so forgetting earlier statements would lose them.
        return replayedSessionChange();
      case "discard":
        // DISCARD ALL returns the session to a fresh connection's state; DISCARD PLANS,
        // SEQUENCES, TEMP leave nothing to restore.
        return second != null && second.isWord("all") ? sessionCleared() : nothingToRestore();
      case "begin":
        // BEGIN followed by anything but transaction modes is a block, not a transaction start:
        // a write-led statement like any other.
        return onlyWords(1, SqlWords.TRANSACTION_MODES) ? transactionBegin() : writeLed(k);
      case "start":
        return second != null && second.isWord("transaction")
            && onlyWords(2, SqlWords.TRANSACTION_MODES) ? transactionBegin() : unknown();
      case "get":
        // MySQL GET [CURRENT | STACKED] DIAGNOSTICS reads what the session's last statement left.
        if (containsWord("diagnostics") && !containsWord("into") && !containsSymbol("=")) {
          return sessionBound("GET DIAGNOSTICS");
        }
        return unknown();
      case "commit":
      case "end":
        return commitOrRollback(SqlKind.TX_COMMIT);
      case "rollback":
      case "abort":
        return commitOrRollback(SqlKind.TX_ROLLBACK);
      default:
        return SqlWords.WRITE_LEADS.contains(k) ? writeLed(k) : unknown();
    }
  }

  private SqlFacts writeLed(String k) {
    return write(pinsByLead(k) || holdsSessionState(false),
        SqlWords.COMMITS_IMPLICITLY.contains(k));
  }

  /** UNKNOWN: unsure means a write, and one that may commit. */
  private SqlFacts unknown() {
    // FLUSH TABLES WITH READ LOCK holds a global read lock for the session.
    boolean flushLock = tokens.get(0).isWord("flush") && containsWord("lock");
    boolean pins = flushLock || holdsSessionState(false);
    return new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false, pins, true, null);
  }

  /** A SET of sql_mode whose value may hold NO_BACKSLASH_ESCAPES: a literal says so, or a "?". */
  private boolean mayChangeBackslashEscapes() {
    if (!containsWord("sql_mode")) {
      return false;
    }
    for (Token w : tokens) {
      if (w.type == Type.PARAM || w.isSymbol("?") || w.isWord("no_backslash_escapes")
          || ((w.type == Type.STRING || w.type == Type.QUOTED)
              && SqlLexer.asciiLower(w.text).contains("no_backslash_escapes"))) {
        return true;
      }
    }
    return false;
  }

  /** Index of {@code word} outside parentheses, from {@code from} on, or -1. */
  private int topLevelWord(int from, String word) {
    int depth = 0;
    for (int i = from; i < tokens.size(); i++) {
      Token w = tokens.get(i);
      if (w.isSymbol("(")) {
        depth++;
      } else if (w.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && w.isWord(word)) {
        return i;
      }
    }
    return -1;
  }

  // The facts a statement can have, by name. Of the flags of SqlFacts, each name says which hold:
  // restores (replayed on a fresh connection), clears (DISCARD ALL), pins (leaves session state
  // no fresh connection can be given), commits (may commit an open transaction by itself).

  /** SESSION, replayed in order on a fresh connection: SET, USE, RESET, set_config(..., false). */
  private static SqlFacts replayedSessionChange() {
    return replayedSessionChange(false);
  }

  /** SESSION, replayed, and pinned as well when the text holds state a replay does not give. */
  private static SqlFacts replayedSessionChange(boolean pinsSession) {
    return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, true, false, pinsSession, false, null);
  }

  /** SESSION with nothing a fresh connection must be given: SET LOCAL, DISCARD PLANS. */
  private static SqlFacts nothingToRestore() {
    return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, false, false, false, false, null);
  }

  /** SESSION back to a fresh connection's state (DISCARD ALL): what was recorded is forgotten. */
  private static SqlFacts sessionCleared() {
    return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, false, true, false, false, null);
  }

  /** SESSION that a replay would not reproduce: the session is pinned. */
  private static SqlFacts unreplayableSessionChange() {
    return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, false, false, true, false, null);
  }

  /** SESSION that a replay would not reproduce, and that may commit (SET autocommit = 1). */
  private static SqlFacts unreplayableSessionChangeThatMayCommit() {
    return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, false, false, true, true, null);
  }

  /** TX_BEGIN; MySQL commits an open transaction before it starts another. */
  private static SqlFacts transactionBegin() {
    return new SqlFacts(SqlKind.TX_BEGIN, RetryHint.NONE, false, false, false, true, null);
  }

  /** TX_COMMIT or TX_ROLLBACK of the transaction the driver knows. */
  private static SqlFacts transactionEnd(SqlKind kind) {
    return new SqlFacts(kind, RetryHint.NONE, false, false, false, false, null);
  }

  /** WRITE inside the transaction, leaving nothing in the session. */
  private static SqlFacts write() {
    return write(false, false);
  }

  private static SqlFacts write(boolean pinsSession, boolean commitsImplicitly) {
    return new SqlFacts(SqlKind.WRITE, RetryHint.NONE, false, false, pinsSession,
        commitsImplicitly, null);
  }

  /** WRITE to the server or an account, not the session; may commit: RESET MASTER, SET GLOBAL. */
  private static SqlFacts serverChange() {
    return write(false, true);
  }

  /** WRITE that leaves session state no fresh connection can be given. */
  private static SqlFacts pinningWrite() {
    return write(true, false);
  }

  /** WRITE that pins the session and may commit. */
  private static SqlFacts pinningWriteThatMayCommit() {
    return write(true, true);
  }

  /** A read-led statement of {@code kind}, with the words of the worst effect met in it. */
  private SqlFacts readLed(SqlKind kind, boolean pinsSession) {
    return new SqlFacts(kind, RetryHint.NONE, false, false, pinsSession, false, detail);
  }

  private SqlFacts sessionBound(String what) {
    return new SqlFacts(SqlKind.SESSION_BOUND_READ, RetryHint.NONE, false, false, false, false,
        what + " belongs to the lost session");
  }

  /**
   * A statement led by SELECT, WITH, SHOW, VALUES, TABLE, EXPLAIN or DESCRIBE: a read, a
   * session-bound read, a sequence fetch, or a write, by the worst thing it does.
   *
   * @param from the first token of what is judged (after H2's CALL, the expression)
   */
  private SqlFacts read(int from, boolean show) {
    boolean pins = holdsSessionState(false);
    if (show) {
      Token second = token(1);
      Token afterCount = token(5);                // SHOW COUNT(*) WARNINGS
      if ((second != null && SqlWords.SESSION_BOUND_SHOWS.contains(second.text))
          || (second != null && second.isWord("count") && afterCount != null
              && SqlWords.SESSION_BOUND_SHOWS.contains(afterCount.text))) {
        return sessionBound("SHOW " + second.text.toUpperCase(Locale.ROOT));
      }
    }
    if (isReplayableSetConfig()) {
      return replayedSessionChange();
    }
    if (!isFreeOfSideEffects(from, false, show)) {
      return readLed(SqlKind.WRITE, pins);
    }
    SqlKind kind = effect == Effect.SESSION_BOUND ? SqlKind.SESSION_BOUND_READ
        : effect == Effect.SEQUENCE_FETCH ? SqlKind.SEQUENCE_FETCH : SqlKind.READ;
    return readLed(kind, pins);
  }

  /**
   * SELECT set_config('name', 'value', false): a session setting written with literals, or with
   * parameters (Flyway restores the search_path with {@code SELECT set_config('search_path', ?,
   * false)}), which a fresh connection can be given by running the same statement again: the
   * text, or the prepared statement with its parameters (the caller keeps them).
   */
  /** A string literal, a JDBC {@code ?} or a PostgreSQL {@code $1}. */
  private static boolean isValueOrParameter(Token t) {
    return t.type == Type.STRING || t.type == Type.PARAM || t.isSymbol("?");
  }

  private boolean isReplayableSetConfig() {
    if (catalog.dialect() != Dialect.POSTGRESQL) {
      return false;                                 // elsewhere set_config would be anyone's
    }
    int n = tokens.size();
    if (n != 9 && !(n == 11 && tokens.get(9).isWord("as"))) {
      return false;
    }
    return tokens.get(0).isWord("select") && tokens.get(1).isWord("set_config")
        && tokens.get(2).isSymbol("(") && isValueOrParameter(tokens.get(3))
        && tokens.get(4).isSymbol(",") && isValueOrParameter(tokens.get(5))
        && tokens.get(6).isSymbol(",") && tokens.get(7).isWord("false")
        && tokens.get(8).isSymbol(")");
  }

  /** COMMIT/ROLLBACK [WORK|TRANSACTION] [AND [NO] CHAIN]; the PREPARED and TO forms write. */
  private SqlFacts commitOrRollback(SqlKind kind) {
    Token second = token(1);
    if (second != null && second.isWord("prepared")) {
      return pinningWriteThatMayCommit();           // two-phase commit
    }
    if (onlyWords(1, SqlWords.TRANSACTION_END_MODES)) {
      return transactionEnd(kind);
    }
    return write();                                 // ROLLBACK TO SAVEPOINT
  }

  /** Session state a write-led statement leaves behind that no fresh connection will have. */
  private boolean pinsByLead(String k) {
    switch (k) {
      case "create":
        for (int i = 1; i < tokens.size() && i < 6; i++) {
          Token w = tokens.get(i);
          if (w.isWord("temp") || w.isWord("temporary")) {
            return true;                            // CREATE [LOCAL|GLOBAL] TEMP TABLE/VIEW
          }
          if (w.type != Type.WORD || w.isWord("table") || w.isWord("view")
              || w.isWord("sequence")) {
            return false;
          }
        }
        return false;
      case "declare":   // cursors live in the session
      case "listen":    // notifications are delivered to this session only
      case "prepare":   // SQL-level prepared statements and PREPARE TRANSACTION
      case "handler":   // MySQL HANDLER ... OPEN
        return true;
      case "lock":
        // MySQL LOCK TABLES holds locks for the session; PostgreSQL LOCK ... IN ... MODE only
        // for the transaction. Without MODE we cannot tell them apart.
        return !containsWord("mode");
      default:
        return false;
    }
  }

  private SqlFacts set() {
    Token second = token(1);
    Token third = token(2);
    if (second == null) {
      return unknown();
    }
    if (second.isWord("local") || second.isWord("transaction") || second.isWord("constraints")) {
      return nothingToRestore();                    // the current transaction only
    }
    // MariaDB's SET STATEMENT var = value [, ...] FOR statement runs the statement with the
    // settings for its own duration: what it does is what the statement does.
    if (second.isWord("statement")) {
      int forAt = topLevelWord(2, "for");
      return forAt < 0 || forAt + 1 >= tokens.size() ? unknown()
          : of(tokens.subList(forAt + 1, tokens.size()), catalog);
    }
    // GLOBAL/PERSIST change the server for everyone, PASSWORD and DEFAULT ROLE an account: none
    // is session state to replay.
    if (containsWord("global") || containsWord("persist") || containsWord("persist_only")
        || second.isWord("password")
        || (second.isWord("default") && third != null && third.isWord("role"))) {
      return serverChange();
    }
    // MySQL SET takes expressions: SET @v = f() calls f, whose effects we cannot vouch for.
    if (!isFreeOfSideEffects(1, true, false)) {
      return pinningWrite();
    }
    // SET @id = NEXT VALUE FOR s takes a number: replayed, it would take another.
    if (effect == Effect.SEQUENCE_FETCH) {
      return pinningWrite();
    }
    if (effect == Effect.SESSION_BOUND) {
      return unreplayableSessionChange();           // SET @id = @@IDENTITY
    }
    // Autocommit through SQL bypasses the driver's own tracking of the transaction; a change of
    // standard_conforming_strings or of NO_BACKSLASH_ESCAPES changes how every later text would
    // have to be read.
    if (containsWord("autocommit") || containsWord("standard_conforming_strings")
        || mayChangeBackslashEscapes()) {
      return unreplayableSessionChangeThatMayCommit();
    }
    // Replaying SET @t = NOW() or SET @m = (SELECT max(id) FROM t) later gives another value.
    for (Token w : tokens) {
      if (w.type == Type.WORD && SqlWords.NOT_REPLAYABLE_IN_SET.contains(w.text)) {
        return unreplayableSessionChange();
      }
    }
    return replayedSessionChange(holdsSessionState(true));
  }

  /**
   * Whether tokens from {@code from} on contain no writing word, no FOR SHARE / FOR KEY SHARE
   * (FOR [NO KEY] UPDATE names UPDATE), no assignment and no call that writes. Calls and forms of
   * a lesser effect (a sequence fetch, an answer of the session) are noted in {@link #effect}.
   *
   * @param setStatement a SET statement: its own SET word and := assignments are its syntax
   * @param show a SHOW statement: words before WHERE are its syntax (SHOW CREATE TABLE,
   *     SHOW CHARACTER SET), what follows WHERE is an expression like any other
   */
  private boolean isFreeOfSideEffects(int from, boolean setStatement, boolean show) {
    boolean wordsCount = !show;
    for (int i = from; i < tokens.size(); i++) {
      Token w = tokens.get(i);
      Token next = token(i + 1);
      Token prev = token(i - 1);
      if (w.isWord("where")) {
        wordsCount = true;
      }
      boolean call = next != null && next.isSymbol("(");
      if (wordsCount && w.type == Type.WORD && SqlWords.NOT_IN_A_READ.contains(w.text)
          && !(setStatement && w.text.equals("set"))
          // ... AS update, t.table: a name, not the keyword
          && !(prev != null && (prev.isWord("as") || prev.isSymbol(".")) && !call)
          && !(w.text.equals("set") && prev != null && prev.isWord("character"))
          // MySQL's INSERT(s, ...), REPLACE(s, a, b), TRUNCATE(x, d): functions, not statements
          && !(call && catalog.isHarmlessBuiltin(w.text) && !isQualified(i))) {
        worse(Effect.WRITE, null);
        return false;
      }
      if (w.isWord("for") && next != null && (next.isWord("share") || next.isWord("key"))) {
        return false;                               // FOR SHARE, FOR KEY SHARE lock rows
      }
      if (w.isSymbol(":=") && !setStatement) {
        return false;                               // MySQL SELECT @v := ... assigns
      }
      if ((w.isWord("next") || w.isWord("previous")) && next != null && next.isWord("value")
          && token(i + 2) != null && token(i + 2).isWord("for")) {
        // MariaDB, H2: NEXT VALUE FOR s takes a number; PREVIOUS VALUE FOR s is the session's last.
        if (w.isWord("next")) {
          worse(Effect.SEQUENCE_FETCH, "sequence fetch: NEXT VALUE FOR");
        } else {
          worse(Effect.SESSION_BOUND, "PREVIOUS VALUE FOR belongs to the lost session");
        }
      }
      if (prev != null && prev.isSymbol(".") && !call && w.type == Type.WORD) {
        // Oracle mode and H2: s.nextval takes a number, s.currval is the session's last.
        if (w.text.equals("nextval")) {
          worse(Effect.SEQUENCE_FETCH, "sequence fetch: ." + name("nextval"));
        } else if (w.text.equals("currval")) {
          worse(Effect.SESSION_BOUND, "." + name("currval") + " belongs to the lost session");
        }
      }
      String variable = serverVariable(i);
      if (variable != null && SqlWords.SESSION_BOUND_VARIABLES.contains(variable)) {
        worse(Effect.SESSION_BOUND, "@@" + name(variable) + " belongs to the lost session");
      }
      if (call && (w.type == Type.WORD || w.type == Type.QUOTED || w.type == Type.NUMBER)) {
        Effect e = callEffect(i);
        if (e == Effect.SEQUENCE_FETCH) {
          worse(e, "sequence fetch: " + name(w.text) + "()");
        } else if (e == Effect.SESSION_BOUND) {
          worse(e, name(w.text) + "() belongs to the lost session");
        } else if (e != Effect.NONE) {
          worse(Effect.WRITE, "calls " + name(w.text) + "(), not known to be free of side effects");
          return false;
        }
      }
    }
    return true;
  }

  /** Keeps the worse of what was found so far and {@code e}, with its words. */
  private void worse(Effect e, String what) {
    if (e.ordinal() > effect.ordinal()) {
      effect = e;
      detail = what;
    }
  }

  /** A function's name as the log shows it: MySQL's in capitals, PostgreSQL's as written. */
  private String name(String lower) {
    return catalog.dialect() == Dialect.POSTGRESQL ? lower : lower.toUpperCase(Locale.ROOT);
  }

  /** The name after @@ (or @@session.), lower-case, when tokens[i] starts one; else null. */
  private String serverVariable(int i) {
    Token a = tokens.get(i);
    Token b = token(i + 1);
    Token c = token(i + 2);
    if (!a.isSymbol("@") || b == null || !b.isSymbol("@") || c == null || c.type != Type.WORD) {
      return null;
    }
    Token dot = token(i + 3);
    Token scoped = token(i + 4);
    if ((c.isWord("session") || c.isWord("local")) && dot != null && dot.isSymbol(".")
        && scoped != null && scoped.type == Type.WORD) {
      return scoped.text;
    }
    return c.text;
  }

  private boolean isQualified(int i) {
    Token prev = token(i - 1);
    return prev != null && prev.isSymbol(".");
  }

  /** tokens[i] is followed by "(": no call at all, or the effect of the function it calls. */
  private Effect callEffect(int i) {
    Token name = tokens.get(i);
    Token prev = token(i - 1);
    // x::numeric(10,2), CAST(x AS varchar(20)), AS v(a, b), FROM f(1) v(a, b),
    // unnest(a) WITH ORDINALITY v(x, i): types and column alias lists, never calls.
    if (prev != null && (prev.isSymbol("::") || prev.isWord("as") || prev.isSymbol(")")
        || prev.isWord("ordinality"))) {
      return Effect.NONE;
    }
    if (isCteName(i)) {
      return Effect.NONE;
    }
    if (name.type == Type.NUMBER) {
      return Effect.WRITE;                          // 1f(x): no reading we are sure of
    }
    if (name.type == Type.QUOTED && catalog.dialect() != Dialect.POSTGRESQL) {
      return Effect.WRITE;                          // `f`(x), "f"(x): a stored function
    }
    String schema = null;
    if (prev != null && prev.isSymbol(".")) {
      Token qualifier = token(i - 2);
      Token before = token(i - 3);
      if (qualifier == null || (qualifier.type != Type.WORD && qualifier.type != Type.QUOTED)
          || (before != null && before.isSymbol("."))) {
        return Effect.WRITE;                        // a.b.lower(x): not a name we can look up
      }
      schema = qualifier.text;
    } else if (name.type == Type.WORD && SqlWords.CALL_SYNTAX.contains(name.text)) {
      return Effect.NONE;
    }
    if (name.text.equals("last_insert_id")) {
      Token after = token(i + 2);
      if (after == null || !after.isSymbol(")")) {
        return Effect.WRITE;                        // LAST_INSERT_ID(expr) sets the value
      }
    }
    // A quoted PostgreSQL name is looked up as written: "lower" is the built-in, "Lower" is not.
    return catalog.effectOf(schema, name.text);
  }

  /** WITH [RECURSIVE] name(a, b) AS [[NOT] MATERIALIZED] (SELECT ...), name(...) AS (...). */
  private boolean isCteName(int i) {
    Token name = tokens.get(i);
    Token prev = token(i - 1);
    if (prev == null || !(prev.isWord("with") || prev.isWord("recursive") || prev.isSymbol(","))
        || (name.type != Type.WORD && name.type != Type.QUOTED)) {
      return false;
    }
    int close = matching(i + 1);
    Token as = token(close + 1);
    if (close < 0 || as == null || !as.isWord("as")) {
      return false;
    }
    Token a = token(close + 2);
    Token b = token(close + 3);
    Token c = token(close + 4);
    if (a == null) {
      return false;
    }
    if (a.isWord("materialized") || (a.isWord("not") && b != null && b.isWord("materialized"))) {
      return true;
    }
    // f(1) AS (a int, b text) is a call with a column definition list: its parentheses start
    // with a column name, a CTE's with a query.
    return a.isSymbol("(") && b != null
        && (b.isSymbol("(")
            || (b.type == Type.WORD && SqlWords.QUERY_STARTS.contains(b.text))
            || (b.isWord("values") && c != null && c.isSymbol("(")));
  }

  /**
   * Session state any statement can leave behind that is not replayed: set_config(..., false),
   * SELECT ... INTO TEMP, MySQL user variables assigned outside SET. (Session locks are counted
   * instead, {@link #sessionLockChange}.)
   */
  private boolean holdsSessionState(boolean setStatement) {
    for (int i = 0; i < tokens.size(); i++) {
      Token w = tokens.get(i);
      Token next = token(i + 1);
      Token next2 = token(i + 2);
      if (w.type == Type.WORD && next != null && next.isSymbol("(")) {
        Effect rule = SqlWords.FUNCTION_RULES.get(w.text);
        // Session locks are counted, not pinned: see sessionLockChange.

        if (rule == Effect.SESSION_CHANGE
            && !(w.text.equals("set_config") && isTransactionLocalSetConfig(i + 1))) {
          return true;
        }
      }
      if (w.isWord("into") && next != null) {
        if (next.isWord("temp") || next.isWord("temporary") || next.isSymbol("@")) {
          return true;
        }
        if ((next.isWord("local") || next.isWord("global")) && next2 != null
            && (next2.isWord("temp") || next2.isWord("temporary"))) {
          return true;
        }
      }
      if (!setStatement && w.isSymbol("@") && next != null && next.type == Type.WORD
          && next2 != null && next2.isSymbol(":=")) {
        return true;
      }
    }
    return false;
  }

  /** set_config(name, value, true) lasts until the transaction ends. */
  private boolean isTransactionLocalSetConfig(int open) {
    int close = matching(open);
    Token last = token(close - 1);
    Token comma = token(close - 2);
    return close > 0 && last != null && last.isWord("true") && comma != null
        && comma.isSymbol(",");
  }

  /** Index of the ")" closing the "(" at open, or -1. */
  private int matching(int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).isSymbol("(")) {
        depth++;
      } else if (tokens.get(i).isSymbol(")")) {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private boolean onlyWords(int from, Set<String> allowed) {
    for (int i = from; i < tokens.size(); i++) {
      if (!allowed.contains(tokens.get(i).text) || tokens.get(i).type == Type.QUOTED
          || tokens.get(i).type == Type.STRING) {
        return false;
      }
    }
    return true;
  }

  private boolean containsSymbol(String symbol) {
    for (Token w : tokens) {
      if (w.isSymbol(symbol)) {
        return true;
      }
    }
    return false;
  }

  private boolean containsWord(String word) {
    for (Token w : tokens) {
      if (w.isWord(word)) {
        return true;
      }
    }
    return false;
  }

  private Token token(int i) {
    return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
  }
}
