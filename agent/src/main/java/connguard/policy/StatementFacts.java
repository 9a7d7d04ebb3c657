package connguard.policy;

import connguard.policy.SqlLexer.Token;
import connguard.policy.SqlLexer.Type;
import java.util.List;
import java.util.Set;

/** The facts of one statement (no ";" inside), from its tokens. Unsure means write. */
final class StatementFacts {
  private final List<Token> t;

  private StatementFacts(List<Token> tokens) {
    this.t = tokens;
  }

  static SqlFacts of(List<Token> tokens) {
    return new StatementFacts(tokens).facts();
  }

  private SqlFacts facts() {
    int lead = 0;
    while (lead < t.size() && t.get(lead).isSymbol("(")) {
      lead++;                                       // (SELECT ...) UNION (SELECT ...)
    }
    Token first = token(lead);
    if (first == null || first.type != Type.WORD
        || (lead > 0 && !SqlWords.READ_LEADS.contains(first.text))) {
      return unknown();
    }
    String k = first.text;
    if (SqlWords.READ_LEADS.contains(k)) {
      return facts(isRead(k.equals("show")) ? SqlKind.READ : SqlKind.WRITE,
          false, false, holdsSessionState(false), false);
    }
    Token second = token(1);
    switch (k) {
      case "set":
        return set();
      case "use":
        return facts(SqlKind.SESSION, true, false, false, false);
      case "reset":
        if (second != null && SqlWords.SERVER_RESETS.contains(second.text)) {
          return facts(SqlKind.WRITE, false, false, false, true);   // MySQL RESET MASTER etc.
        }
        // RESET x and RESET ALL are replayed in order like a SET: RESET ALL leaves role and
        // session authorization as they were, so forgetting earlier statements would lose them.
        return facts(SqlKind.SESSION, true, false, false, false);
      case "discard":
        // DISCARD ALL returns the session to a fresh connection's state; DISCARD PLANS,
        // SEQUENCES, TEMP leave nothing to restore.
        return facts(SqlKind.SESSION, false, second != null && second.isWord("all"), false, false);
      case "begin":
        // BEGIN followed by anything but transaction modes is a block, not a transaction start.
        return onlyWords(1, SqlWords.TRANSACTION_MODES)
            ? facts(SqlKind.TX_BEGIN, false, false, false, true)
            : facts(SqlKind.WRITE, false, false, holdsSessionState(false), true);
      case "start":
        return second != null && second.isWord("transaction")
            && onlyWords(2, SqlWords.TRANSACTION_MODES)
            ? facts(SqlKind.TX_BEGIN, false, false, false, true)
            : unknown();
      case "commit":
      case "end":
        return transactionEnd(SqlKind.TX_COMMIT);
      case "rollback":
      case "abort":
        return transactionEnd(SqlKind.TX_ROLLBACK);
      default:
        if (SqlWords.WRITE_LEADS.contains(k)) {
          return facts(SqlKind.WRITE, false, false, pinsByLead(k) || holdsSessionState(false),
              SqlWords.COMMITS_IMPLICITLY.contains(k));
        }
        return unknown();
    }
  }

  private SqlFacts unknown() {
    return facts(SqlKind.UNKNOWN, false, false, holdsSessionState(false), true);
  }

  private static SqlFacts facts(SqlKind kind, boolean restores, boolean clears, boolean pins,
      boolean commitsImplicitly) {
    return new SqlFacts(kind, RetryHint.NONE, restores, clears, pins, commitsImplicitly);
  }

  /** COMMIT/ROLLBACK [WORK|TRANSACTION] [AND [NO] CHAIN]; the PREPARED and TO forms write. */
  private SqlFacts transactionEnd(SqlKind kind) {
    Token second = token(1);
    if (second != null && second.isWord("prepared")) {
      return facts(SqlKind.WRITE, false, false, true, true);      // two-phase commit
    }
    if (onlyWords(1, SqlWords.TRANSACTION_END_MODES)) {
      return facts(kind, false, false, false, false);
    }
    return facts(SqlKind.WRITE, false, false, false, false);      // ROLLBACK TO SAVEPOINT
  }

  /** Session state a write-led statement leaves behind that no fresh connection will have. */
  private boolean pinsByLead(String k) {
    switch (k) {
      case "create":
        for (int i = 1; i < t.size() && i < 6; i++) {
          Token w = t.get(i);
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
      return facts(SqlKind.SESSION, false, false, false, false);  // the current transaction only
    }
    // GLOBAL/PERSIST change the server for everyone, PASSWORD and DEFAULT ROLE an account, and
    // MariaDB's SET STATEMENT ... FOR runs a statement: none is session state to replay.
    if (containsWord("global") || containsWord("persist") || containsWord("persist_only")
        || second.isWord("password") || second.isWord("statement")
        || (second.isWord("default") && third != null && third.isWord("role"))) {
      return facts(SqlKind.WRITE, false, false, false, true);
    }
    // MySQL SET takes expressions: SET @v = f() calls f, whose effects we cannot vouch for.
    if (!isFreeOfSideEffects(1, true, false)) {
      return facts(SqlKind.WRITE, false, false, true, false);
    }
    // Autocommit through SQL bypasses the driver's own tracking of the transaction.
    if (containsWord("autocommit")) {
      return facts(SqlKind.SESSION, false, false, true, true);
    }
    // Replaying SET @t = NOW() or SET @m = (SELECT max(id) FROM t) later gives another value.
    for (Token w : t) {
      if (w.type == Type.WORD && SqlWords.NOT_REPLAYABLE_IN_SET.contains(w.text)) {
        return facts(SqlKind.SESSION, false, false, true, false);
      }
    }
    return facts(SqlKind.SESSION, true, false, holdsSessionState(true), false);
  }

  /** READ only when sure: no writing word, no locking clause, no call we cannot vouch for. */
  private boolean isRead(boolean show) {
    return isFreeOfSideEffects(0, false, show);
  }

  /**
   * Whether tokens from {@code from} on contain no writing word, no FOR SHARE / FOR KEY SHARE
   * (FOR [NO KEY] UPDATE names UPDATE), no assignment and no call outside the safe list.
   *
   * @param setStatement a SET statement: its own SET word and := assignments are its syntax
   * @param show a SHOW statement: words before WHERE are its syntax (SHOW CREATE TABLE,
   *     SHOW CHARACTER SET), what follows WHERE is an expression like any other
   */
  private boolean isFreeOfSideEffects(int from, boolean setStatement, boolean show) {
    boolean wordsCount = !show;
    for (int i = from; i < t.size(); i++) {
      Token w = t.get(i);
      Token next = token(i + 1);
      if (w.isWord("where")) {
        wordsCount = true;
      }
      boolean call = next != null && next.isSymbol("(");
      if (wordsCount && w.type == Type.WORD && SqlWords.NOT_IN_A_READ.contains(w.text)
          && !(setStatement && w.text.equals("set"))
          && !(call && w.text.equals("replace"))) {   // replace(s, a, b), not REPLACE INTO
        return false;
      }
      if (w.isWord("for") && next != null && (next.isWord("share") || next.isWord("key"))) {
        return false;                               // FOR SHARE, FOR KEY SHARE lock rows
      }
      if (w.isSymbol(":=") && !setStatement) {
        return false;                               // MySQL SELECT @v := ... assigns
      }
      if (call && (w.type == Type.WORD || w.type == Type.QUOTED || w.type == Type.NUMBER)
          && !isSafeCall(i)) {
        return false;
      }
    }
    return true;
  }

  /** t[i] is followed by "(": is this no call at all, or a call of a side-effect-free builtin? */
  private boolean isSafeCall(int i) {
    Token name = t.get(i);
    Token prev = token(i - 1);
    // x::numeric(10,2), CAST(x AS varchar(20)), AS v(a, b), FROM f(1) v(a, b): types and
    // column alias lists, never calls.
    if (prev != null && (prev.isSymbol("::") || prev.isWord("as") || prev.isSymbol(")"))) {
      return true;
    }
    if (isCteName(i)) {
      return true;
    }
    if (name.type != Type.WORD) {
      return false;                                 // "f"(x), `f`(x), 1f(x): user functions
    }
    if (prev != null && prev.isSymbol(".")) {
      Token schema = token(i - 2);
      Token before = token(i - 3);
      boolean catalog = schema != null && schema.isWord("pg_catalog")
          && (before == null || !before.isSymbol("."));
      if (!catalog) {
        return false;                               // myschema.lower(x) is not the builtin
      }
    }
    if (name.text.equals("last_insert_id")) {
      Token after = token(i + 2);
      return after != null && after.isSymbol(")"); // LAST_INSERT_ID(expr) sets the value
    }
    return SqlWords.SAFE_CALLS.contains(name.text);
  }

  /** WITH [RECURSIVE] name(a, b) AS [[NOT] MATERIALIZED] (SELECT ...), name(...) AS (...). */
  private boolean isCteName(int i) {
    Token name = t.get(i);
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
   * Session state any statement can leave behind that is not replayed: session advisory locks,
   * set_config(..., false), SELECT ... INTO TEMP, MySQL user variables assigned outside SET.
   */
  private boolean holdsSessionState(boolean setStatement) {
    for (int i = 0; i < t.size(); i++) {
      Token w = t.get(i);
      Token next = token(i + 1);
      Token next2 = token(i + 2);
      if (w.type == Type.WORD && next != null && next.isSymbol("(")) {
        if (SqlWords.SESSION_LOCK_FUNCTIONS.contains(w.text)) {
          return true;
        }
        if (w.text.equals("set_config") && !isTransactionLocalSetConfig(i + 1)) {
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
    for (int i = open; i < t.size(); i++) {
      if (t.get(i).isSymbol("(")) {
        depth++;
      } else if (t.get(i).isSymbol(")")) {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private boolean onlyWords(int from, Set<String> allowed) {
    for (int i = from; i < t.size(); i++) {
      if (!allowed.contains(t.get(i).text) || t.get(i).type == Type.QUOTED
          || t.get(i).type == Type.STRING) {
        return false;
      }
    }
    return true;
  }

  private boolean containsWord(String word) {
    for (Token w : t) {
      if (w.isWord(word)) {
        return true;
      }
    }
    return false;
  }

  private Token token(int i) {
    return i >= 0 && i < t.size() ? t.get(i) : null;
  }
}
