package connguard.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a SQL text does, read by a small lexer (comments, literals, quoted identifiers and dollar
 * quotes skipped). Immutable; {@link #of} never throws. Unsure means write: text that cannot be
 * read with certainty is {@link SqlKind#UNKNOWN}.
 *
 * <p>Where PostgreSQL and MySQL would split the same text differently ({@code #}, {@code $},
 * {@code --} without a space, nested {@code /*}), the text is read both ways and the readings
 * must agree; otherwise it is UNKNOWN. Several statements separated by ";" are READ only if every
 * one is; a mix is WRITE.
 */
public final class SqlFacts {

  private static final SqlFacts NO_TEXT =
      new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false, false, true);

  private final SqlKind kind;
  private final RetryHint hint;
  private final boolean restoresSession;
  private final boolean clearsSession;
  private final boolean pinsSession;
  private final boolean commitsImplicitly;

  SqlFacts(SqlKind kind, RetryHint hint, boolean restoresSession, boolean clearsSession,
      boolean pinsSession, boolean commitsImplicitly) {
    this.kind = kind;
    this.hint = hint;
    this.restoresSession = restoresSession;
    this.clearsSession = clearsSession;
    this.pinsSession = pinsSession;
    this.commitsImplicitly = commitsImplicitly;
  }

  /** Facts of a SQL text; null or empty text is UNKNOWN. Never throws. */
  public static SqlFacts of(String sql) {
    if (sql == null) {
      return NO_TEXT;
    }
    SqlLexer.Result postgres = SqlLexer.postgres(sql);
    SqlFacts facts = fromReading(postgres, sql);
    boolean idempotent = postgres.idempotentHint;
    if (readsDifferentlyInMySql(sql)) {
      SqlLexer.Result mysql = SqlLexer.mysql(sql);
      facts = agreement(facts, fromReading(mysql, sql));
      idempotent &= mysql.idempotentHint;
    }
    // never-retry anywhere in the text, even in a literal: honouring it too often is safe.
    RetryHint hint = SqlLexer.mentions(sql, SqlLexer.NEVER_RETRY_HINT) ? RetryHint.NEVER
        : idempotent ? RetryHint.IDEMPOTENT : RetryHint.NONE;
    return facts.withHint(hint);
  }

  /**
   * Facts of a batch of statements run as one call: READ if every entry is, WRITE for a mix;
   * hint NEVER if any entry says so, IDEMPOTENT only if every entry does. An empty batch is
   * UNKNOWN.
   */
  public static SqlFacts combine(List<SqlFacts> entries) {
    if (entries == null || entries.isEmpty()) {
      return NO_TEXT;
    }
    boolean never = false;
    boolean idempotent = true;
    for (SqlFacts e : entries) {
      never |= e.hint == RetryHint.NEVER;
      idempotent &= e.hint == RetryHint.IDEMPOTENT;
    }
    RetryHint hint = never ? RetryHint.NEVER
        : idempotent ? RetryHint.IDEMPOTENT : RetryHint.NONE;
    return sequence(entries).withHint(hint);
  }

  /** READ, WRITE, SESSION, TX_BEGIN, TX_COMMIT, TX_ROLLBACK or UNKNOWN (counts as a write). */
  public SqlKind kind() {
    return kind;
  }

  /** Whether the text certainly only reads. */
  public boolean isRead() {
    return kind == SqlKind.READ;
  }

  /** What the text's comments say: connguard:idempotent, connguard:never-retry (wins), or none. */
  public RetryHint hint() {
    return hint;
  }

  /**
   * Whether the text is to be recorded and re-run, in order, on a fresh connection to restore
   * session state: SET x = ..., SET SESSION ..., SET search_path/ROLE/NAMES/TIME ZONE, MySQL
   * SET @v = ..., USE db, RESET x, RESET ALL. Not SET LOCAL, SET TRANSACTION, SET CONSTRAINTS
   * (the current transaction only), not SET GLOBAL/PERSIST (server-wide writes), not SET
   * autocommit (the driver owns it).
   */
  public boolean restoresSession() {
    return restoresSession;
  }

  /** DISCARD ALL: the session is back to a fresh connection's state; forget what was recorded. */
  public boolean clearsSession() {
    return clearsSession;
  }

  /**
   * Whether the text leaves session state no fresh connection can be given: temporary tables,
   * cursors, LISTEN, SQL-level PREPARE, PREPARE TRANSACTION, MySQL LOCK TABLES and HANDLER,
   * session advisory locks and GET_LOCK, set_config(..., false), user variables assigned outside
   * SET, SET values that would differ when replayed, SET autocommit, and session changes mixed
   * with other statements in one text.
   */
  public boolean pinsSession() {
    return pinsSession;
  }

  /**
   * Whether running the text may commit an open transaction by itself: MySQL commits before and
   * after DDL, account and lock statements and BEGIN; a procedure may COMMIT inside. Then a
   * dead connection does not prove the statement's effect was rolled back. True when unsure.
   */
  public boolean commitsImplicitly() {
    return commitsImplicitly;
  }

  @Override
  public String toString() {
    return "SqlFacts{" + kind
        + (hint != RetryHint.NONE ? " " + hint : "")
        + (restoresSession ? " restores" : "")
        + (clearsSession ? " clears" : "")
        + (pinsSession ? " pins" : "")
        + (commitsImplicitly ? " commits" : "")
        + "}";
  }

  private SqlFacts withHint(RetryHint h) {
    return h == hint ? this
        : new SqlFacts(kind, h, restoresSession, clearsSession, pinsSession, commitsImplicitly);
  }

  private static boolean readsDifferentlyInMySql(String sql) {
    return sql.indexOf('#') >= 0 || sql.indexOf('$') >= 0 || sql.contains("--")
        || sql.contains("/*");
  }

  private static SqlFacts fromReading(SqlLexer.Result reading, String sql) {
    if (!reading.complete) {
      return unreadable(sql);
    }
    List<SqlFacts> statements = new ArrayList<SqlFacts>(reading.statements.size());
    for (List<SqlLexer.Token> tokens : reading.statements) {
      statements.add(StatementFacts.of(tokens));
    }
    return statements.isEmpty() ? NO_TEXT : sequence(statements);
  }

  /** Statements run one after the other in one call. */
  private static SqlFacts sequence(List<SqlFacts> parts) {
    if (parts.size() == 1) {
      return parts.get(0).withHint(RetryHint.NONE);
    }
    boolean allRead = true;
    boolean allSession = true;
    boolean allRestore = true;
    boolean changesSession = false;
    boolean pins = false;
    boolean commits = false;
    SqlKind lastTransactionControl = null;
    for (SqlFacts p : parts) {
      allRead &= p.kind == SqlKind.READ;
      allSession &= p.kind == SqlKind.SESSION;
      allRestore &= p.restoresSession;
      changesSession |= p.restoresSession || p.clearsSession;
      pins |= p.pinsSession;
      commits |= p.commitsImplicitly;
      if (p.kind == SqlKind.TX_BEGIN || p.kind == SqlKind.TX_COMMIT
          || p.kind == SqlKind.TX_ROLLBACK) {
        lastTransactionControl = p.kind;
      }
    }
    if (allRead) {
      return new SqlFacts(SqlKind.READ, RetryHint.NONE, false, false, false, false);
    }
    if (allSession && allRestore) {
      return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, true, false, pins, commits);
    }
    // A session change we cannot record on its own, or a transaction left open behind the
    // driver's back ("INSERT ...; BEGIN"), is state we cannot restore.
    pins |= changesSession || lastTransactionControl == SqlKind.TX_BEGIN;
    return new SqlFacts(allSession ? SqlKind.SESSION : SqlKind.WRITE, RetryHint.NONE, false,
        false, pins, commits || lastTransactionControl != null);
  }

  /** The PostgreSQL and MySQL readings of one text: what both say, or UNKNOWN. */
  private static SqlFacts agreement(SqlFacts a, SqlFacts b) {
    if (a.kind == b.kind) {
      boolean restores = a.restoresSession && b.restoresSession;
      boolean clears = a.clearsSession && b.clearsSession;
      boolean pins = a.pinsSession || b.pinsSession
          || a.restoresSession != b.restoresSession || a.clearsSession != b.clearsSession;
      return new SqlFacts(a.kind, RetryHint.NONE, restores, clears, pins,
          a.commitsImplicitly || b.commitsImplicitly);
    }
    boolean pins = a.pinsSession || b.pinsSession || a.restoresSession || b.restoresSession
        || a.clearsSession || b.clearsSession;
    return new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false, pins, true);
  }

  /**
   * A text the lexer could not read with certainty. It may still run (a server reads the
   * ambiguous literal one way), so guess its session effect from its bare words: a SET we cannot
   * read could not be replayed faithfully either.
   */
  private static SqlFacts unreadable(String sql) {
    List<String> words = asciiWords(sql);
    boolean pins = !words.isEmpty() && SqlWords.SESSION_LEADS.contains(words.get(0));
    for (String w : words) {
      pins |= SqlWords.UNREADABLE_PINS.contains(w);
    }
    pins |= sql.contains(":=") || (words.contains("into") && sql.indexOf('@') >= 0);
    return new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false, pins, true);
  }

  private static List<String> asciiWords(String sql) {
    List<String> words = new ArrayList<String>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      while (i < n && !isAsciiWordChar(sql.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && isAsciiWordChar(sql.charAt(i))) {
        i++;
      }
      if (i > start) {
        words.add(SqlLexer.asciiLower(sql.substring(start, i)));
      }
    }
    return Collections.unmodifiableList(words);
  }

  private static boolean isAsciiWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
