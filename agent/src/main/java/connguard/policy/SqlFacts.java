package connguard.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a SQL text does, read by a small lexer (comments, literals, quoted identifiers and dollar
 * quotes skipped) the way the server the connection talks to reads it. Immutable; {@link #of}
 * never throws. Unsure means write: text that cannot be read with certainty is
 * {@link SqlKind#UNKNOWN}.
 *
 * <p>With the server's {@link FunctionCatalog} ({@link #of(String, FunctionCatalog)}), the text
 * is read in its dialect, with strings as the server reads them (PostgreSQL's
 * standard_conforming_strings, MySQL's NO_BACKSLASH_ESCAPES); where what the agent cannot see
 * would split it otherwise (ANSI_QUOTES for a "..." text with a backslash, a MySQL executable
 * comment that runs on some server versions only), it is read both ways and the readings must
 * agree. Without ({@link #of(String)}), the server is unknown:
 * where PostgreSQL and MySQL would split the same text differently ({@code #}, {@code $},
 * {@code --} without a space, nested {@code /*}), both readings must agree, and a backslash in a
 * quoted text or an executable comment makes it UNKNOWN. Several statements separated by ";" are
 * READ only if every one is.
 */
public final class SqlFacts {

  private static final SqlFacts NO_TEXT =
      new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false, false, true, null);

  private final SqlKind kind;
  private final RetryHint hint;
  private final boolean restoresSession;
  private final boolean clearsSession;
  private final boolean pinsSession;
  private final boolean commitsImplicitly;
  private final String detail;
  /** Session locks taken (+) or released (-) by the text; {@link #RELEASES_ALL_LOCKS}; 0: none. */
  private final int sessionLockChange;

  /** {@link #sessionLockChange()} of a text that releases every session lock it holds. */
  public static final int RELEASES_ALL_LOCKS = Integer.MIN_VALUE;

  SqlFacts(SqlKind kind, RetryHint hint, boolean restoresSession, boolean clearsSession,
      boolean pinsSession, boolean commitsImplicitly, String detail) {
    this(kind, hint, restoresSession, clearsSession, pinsSession, commitsImplicitly, detail, 0);
  }

  private SqlFacts(SqlKind kind, RetryHint hint, boolean restoresSession, boolean clearsSession,
      boolean pinsSession, boolean commitsImplicitly, String detail, int sessionLockChange) {
    this.kind = kind;
    this.hint = hint;
    this.restoresSession = restoresSession;
    this.clearsSession = clearsSession;
    this.pinsSession = pinsSession;
    this.commitsImplicitly = commitsImplicitly;
    this.detail = detail;
    this.sessionLockChange = sessionLockChange;
  }

  /**
   * Facts of a SQL text sent to a server we know nothing about: read the ways of PostgreSQL and
   * MySQL at once, with the functions both know. Null or empty text is UNKNOWN. Never throws.
   */
  public static SqlFacts of(String sql) {
    return of(sql, FunctionCatalog.builtin(Dialect.UNKNOWN));
  }

  /** Facts of a SQL text sent to a server of this dialect, with its built-in functions. */
  public static SqlFacts of(String sql, Dialect dialect) {
    return of(sql, FunctionCatalog.builtin(dialect));
  }

  /** Facts of a SQL text sent to the server this catalog describes. Never throws. */
  public static SqlFacts of(String sql, FunctionCatalog catalog) {
    if (sql == null) {
      return NO_TEXT;
    }
    FunctionCatalog c = catalog == null ? FunctionCatalog.builtin(Dialect.UNKNOWN) : catalog;
    Readings readings = new Readings(sql, c);
    switch (c.dialect()) {
      case POSTGRESQL:
        readings.add(c.backslashEscapes() ? SqlLexer.Reading.POSTGRES_ESCAPES
            : SqlLexer.Reading.POSTGRES, SqlLexer.VersionComments.STOP);
        break;
      case MYSQL:
      case MARIADB:
        // Strings as the server reads them (backslash escapes unless its sql_mode says
        // NO_BACKSLASH_ESCAPES; a session that changes that is pinned). Read both ways: a "..."
        // text with a backslash (a name under ANSI_QUOTES), and an executable comment that runs
        // on some server versions only.
        SqlLexer.Reading strings = c.backslashEscapes() ? SqlLexer.Reading.MYSQL
            : SqlLexer.Reading.MYSQL_NO_ESCAPES;
        SqlLexer.Result usual = readings.add(strings, SqlLexer.VersionComments.CODE);
        if (usual.sawBackslash && strings == SqlLexer.Reading.MYSQL) {
          readings.add(SqlLexer.Reading.MYSQL_NO_ESCAPES, SqlLexer.VersionComments.CODE);
        }
        if (usual.sawUndecidedComment) {
          readings.add(strings, SqlLexer.VersionComments.COMMENT);
        }
        break;
      case H2:
        readings.add(SqlLexer.Reading.H2, SqlLexer.VersionComments.STOP);
        break;
      default:
        readings.add(SqlLexer.Reading.POSTGRES_AMBIGUOUS, SqlLexer.VersionComments.STOP);
        if (readsDifferentlyInMySql(sql)) {
          readings.add(SqlLexer.Reading.MYSQL_AMBIGUOUS, SqlLexer.VersionComments.STOP);
        }
        break;
    }
    // never-retry anywhere in the text, even in a literal: honouring it too often is safe.
    RetryHint hint = SqlLexer.mentions(sql, SqlLexer.NEVER_RETRY_HINT) ? RetryHint.NEVER
        : readings.idempotent ? RetryHint.IDEMPOTENT : RetryHint.NONE;
    return readings.facts.withHint(hint);
  }

  /** The readings of one text so far: what all of them agree on. */
  private static final class Readings {
    private final String sql;
    private final FunctionCatalog catalog;
    private final boolean mariadb;
    SqlFacts facts;
    boolean idempotent = true;

    Readings(String sql, FunctionCatalog catalog) {
      this.sql = sql;
      this.catalog = catalog;
      this.mariadb = catalog.dialect() == Dialect.MARIADB;
    }

    SqlLexer.Result add(SqlLexer.Reading reading, SqlLexer.VersionComments versionComments) {
      SqlLexer.Result r = SqlLexer.read(sql, reading, versionComments, mariadb);
      SqlFacts f = fromReading(r, sql, catalog);
      facts = facts == null ? f : agreement(facts, f);
      idempotent &= r.idempotentHint;
      return r;
    }
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

  /**
   * READ, SESSION_BOUND_READ, SEQUENCE_FETCH, WRITE, SESSION, TX_BEGIN, TX_COMMIT, TX_ROLLBACK or
   * UNKNOWN (counts as a write).
   */
  public SqlKind kind() {
    return kind;
  }

  /**
   * What made the kind, in words for a log line ("LAST_INSERT_ID() belongs to the lost session",
   * "sequence fetch: nextval()", "calls f(), not known to be free of side effects"); null when
   * the kind says it all.
   */
  public String detail() {
    return detail;
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
   * Session locks the text takes and releases ({@code pg_advisory_lock}, {@code GET_LOCK}: +1 each;
   * {@code pg_advisory_unlock}, {@code RELEASE_LOCK}: -1 each), or {@link #RELEASES_ALL_LOCKS}
   * ({@code pg_advisory_unlock_all}, {@code RELEASE_ALL_LOCKS}). Not part of {@link #pinsSession}:
   * a session that holds none any more (Flyway's migration lock, taken and released at start) can
   * be given to a fresh connection again. A try that did not get its lock counts as taken: the
   * agent does not see the answer, and too many only means a session it will not heal.
   */
  public int sessionLockChange() {
    return sessionLockChange;
  }

  /** The same facts with the text's session lock change (a reading of its own, see StatementFacts). */
  SqlFacts withSessionLockChange(int change) {
    if (change == 0) {
      return this;
    }
    return new SqlFacts(kind, hint, restoresSession, clearsSession, pinsSession, commitsImplicitly, detail, change);
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
        + (detail != null ? " (" + detail + ")" : "")
        + (hint != RetryHint.NONE ? " " + hint : "")
        + (restoresSession ? " restores" : "")
        + (clearsSession ? " clears" : "")
        + (pinsSession ? " pins" : "")
        + (sessionLockChange == RELEASES_ALL_LOCKS ? " unlocks-all"
            : sessionLockChange != 0 ? " locks" + (sessionLockChange > 0 ? "+" : "") + sessionLockChange : "")
        + (commitsImplicitly ? " commits" : "")
        + "}";
  }

  private SqlFacts withHint(RetryHint h) {
    if (h == hint) {
      return this;
    }
    return new SqlFacts(kind, h, restoresSession, clearsSession, pinsSession, commitsImplicitly, detail,
        sessionLockChange);
  }

  private static boolean readsDifferentlyInMySql(String sql) {
    return sql.indexOf('#') >= 0 || sql.indexOf('$') >= 0 || sql.contains("--")
        || sql.contains("/*");
  }

  private static SqlFacts fromReading(SqlLexer.Result reading, String sql,
      FunctionCatalog catalog) {
    if (!reading.complete) {
      return unreadable(sql);
    }
    List<SqlFacts> statements = new ArrayList<SqlFacts>(reading.statements.size());
    for (List<SqlLexer.Token> tokens : reading.statements) {
      statements.add(StatementFacts.of(tokens, catalog));
    }
    return statements.isEmpty() ? NO_TEXT : sequence(statements);
  }

  /** Statements run one after the other in one call. */
  private static SqlFacts sequence(List<SqlFacts> parts) {
    if (parts.size() == 1) {
      return parts.get(0).withHint(RetryHint.NONE);
    }
    boolean allRead = true;
    SqlFacts worstRead = null;        // of reads, session-bound reads and sequence fetches only
    boolean allSession = true;
    boolean allRestore = true;
    boolean changesSession = false;
    boolean pins = false;
    boolean commits = false;
    SqlKind lastTransactionControl = null;
    for (SqlFacts p : parts) {
      allRead &= p.kind == SqlKind.READ || p.kind == SqlKind.SESSION_BOUND_READ
          || p.kind == SqlKind.SEQUENCE_FETCH;
      if (worstRead == null || readRank(p.kind) > readRank(worstRead.kind)) {
        worstRead = p;
      }
      allSession &= p.kind == SqlKind.SESSION;
      allRestore &= p.restoresSession;
      changesSession |= p.restoresSession || p.clearsSession;
      // Locks over several statements of one text: not counted, the session stays as it is.
      pins |= p.pinsSession || p.sessionLockChange != 0;
      commits |= p.commitsImplicitly;
      if (p.kind == SqlKind.TX_BEGIN || p.kind == SqlKind.TX_COMMIT
          || p.kind == SqlKind.TX_ROLLBACK) {
        lastTransactionControl = p.kind;
      }
    }
    if (allRead) {
      return new SqlFacts(worstRead.kind, RetryHint.NONE, false, false, pins, false,
          worstRead.detail);
    }
    if (allSession && allRestore) {
      return new SqlFacts(SqlKind.SESSION, RetryHint.NONE, true, false, pins, commits, null);
    }
    // A session change we cannot record on its own, or a transaction left open behind the
    // driver's back ("INSERT ...; BEGIN"), is state we cannot restore.
    pins |= changesSession || lastTransactionControl == SqlKind.TX_BEGIN;
    return new SqlFacts(allSession ? SqlKind.SESSION : SqlKind.WRITE, RetryHint.NONE, false,
        false, pins, commits || lastTransactionControl != null, null);
  }

  /** Of kinds that change no data, which is further from a plain read; -1 for the others. */
  private static int readRank(SqlKind kind) {
    switch (kind) {
      case READ:
        return 0;
      case SESSION_BOUND_READ:
        return 1;
      case SEQUENCE_FETCH:
        return 2;
      default:
        return -1;
    }
  }

  /** Two readings of one text: what both say, or UNKNOWN. */
  private static SqlFacts agreement(SqlFacts a, SqlFacts b) {
    if (a.kind == b.kind) {
      boolean restores = a.restoresSession && b.restoresSession;
      boolean clears = a.clearsSession && b.clearsSession;
      boolean pins = a.pinsSession || b.pinsSession || a.sessionLockChange != b.sessionLockChange
          || a.restoresSession != b.restoresSession || a.clearsSession != b.clearsSession;
      SqlFacts both = new SqlFacts(a.kind, RetryHint.NONE, restores, clears, pins,
          a.commitsImplicitly || b.commitsImplicitly, a.detail != null ? a.detail : b.detail);
      return a.sessionLockChange == b.sessionLockChange ? both.withSessionLockChange(a.sessionLockChange) : both;
    }
    boolean pins = a.pinsSession || b.pinsSession || a.restoresSession || b.restoresSession
        || a.clearsSession || b.clearsSession || a.sessionLockChange != 0 || b.sessionLockChange != 0;
    return new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false, pins, true,
        "read differently by the server's settings");
  }

  /**
   * A text the lexer could not read with certainty. It may still run (a server reads the
   * ambiguous literal one way), so its session effect is guessed by the cheap first look's own
   * words ({@link SessionSql}): a SET we cannot read could not be replayed faithfully either.
   */
  private static SqlFacts unreadable(String sql) {
    return new SqlFacts(SqlKind.UNKNOWN, RetryHint.NONE, false, false,
        SessionSql.mayChangeSession(sql), true, null);
  }
}
