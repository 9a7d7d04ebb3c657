package connguard.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one server's SQL is, as far as reading it goes: its {@link Dialect}, how its strings take a
 * backslash, and what each function a statement may call does ({@link Effect}). Immutable and
 * thread-safe; one per server, passed to {@link SqlFacts#of(String, FunctionCatalog)}.
 *
 * <p>Built-in lists serve until a server's own catalog was read ({@link #builtin}): PostgreSQL's
 * IMMUTABLE and STABLE built-ins (a resource generated from pg_proc) and the volatile ones without
 * a data effect, MySQL's and MariaDB's built-ins from their documentation. The PostgreSQL catalog
 * read ({@link #postgres}) adds what the server itself has: its own built-ins and every user
 * function by name. The rules for functions whose effect is not "none" (sequences, session-bound
 * answers, session locks and settings) are {@link SqlWords}' and win over every list.
 */
public final class FunctionCatalog {

  /** What calling a function does, from harmless to the worst; a statement takes its worst call's. */
  enum Effect {
    /** Reads, computes or waits: running it again on a fresh connection gives a true answer. */
    NONE,
    /** Its answer belongs to the session that ran it (LAST_INSERT_ID(), currval): a fresh one lies. */
    SESSION_BOUND,
    /** Takes a number from a sequence: the app may already hold the first one. */
    SEQUENCE_FETCH,
    /** Changes the session (set_config, setseed): state a fresh connection lacks. */
    SESSION_CHANGE,
    /** Takes a lock held by the session beyond the transaction (pg_advisory_lock, GET_LOCK). */
    SESSION_LOCK,
    /** Writes, or may: anything not known to be free of effects. */
    WRITE
  }

  private static final class BuiltinLists {
    static final Set<String> POSTGRES = load("postgres-builtins.txt");
    static final Set<String> MYSQL = load("mysql-builtins.txt");
  }

  private static final FunctionCatalog[] BUILTIN = new FunctionCatalog[Dialect.values().length];

  static {
    for (Dialect d : Dialect.values()) {
      // The servers' defaults: PostgreSQL's standard_conforming_strings is on since 9.1, MySQL's
      // sql_mode has no NO_BACKSLASH_ESCAPES. A session that changes either is pinned; the
      // catalog read reports the server's own value.
      BUILTIN[d.ordinal()] = new FunctionCatalog(d, d.isMysqlFamily(), null, false);
    }
  }

  private final Dialect dialect;
  /**
   * Whether a backslash escapes in a plain '...' string: PostgreSQL with
   * standard_conforming_strings off, MySQL without NO_BACKSLASH_ESCAPES in its sql_mode.
   */
  private final boolean backslashEscapes;
  /** From the server: function name to its effect; null while only the built-in lists are known. */
  private final Map<String, Effect> fromServer;
  private final boolean trustsDeclaredVolatility;

  private FunctionCatalog(Dialect dialect, boolean backslashEscapes, Map<String, Effect> fromServer,
      boolean trustsDeclaredVolatility) {
    this.dialect = dialect == null ? Dialect.UNKNOWN : dialect;
    this.backslashEscapes = backslashEscapes;
    this.fromServer = fromServer;
    this.trustsDeclaredVolatility = trustsDeclaredVolatility;
  }

  /**
   * The built-in lists of a dialect: what serves before (or without) a server's catalog, with
   * the server's default string settings.
   */
  public static FunctionCatalog builtin(Dialect dialect) {
    return BUILTIN[(dialect == null ? Dialect.UNKNOWN : dialect).ordinal()];
  }

  /**
   * A PostgreSQL server's catalog, built from what the caller read from pg_proc, one
   * {@link PostgresBuilder#function} per name and kind (built-in or not).
   */
  public static PostgresBuilder postgres() {
    return new PostgresBuilder();
  }

  /** Collects a PostgreSQL server's functions; not shared between threads. */
  public static final class PostgresBuilder {
    private final Map<String, Effect> effects = new HashMap<String, Effect>();
    private final Map<String, Boolean> userDeclaredReadOnly = new HashMap<String, Boolean>();

    private PostgresBuilder() {}

    /**
     * @param name the function's name as pg_proc.proname has it
     * @param builtin it lives in pg_catalog or information_schema
     * @param declaredReadOnly every overload of this name and kind is IMMUTABLE or STABLE
     * @param sqlOrPlpgsql every overload of this name and kind is written in sql or plpgsql
     */
    public PostgresBuilder function(String name, boolean builtin, boolean declaredReadOnly,
        boolean sqlOrPlpgsql) {
      if (name == null) {
        return this;
      }
      if (builtin) {
        merge(name, declaredReadOnly || SqlWords.POSTGRES_VOLATILE_READS.contains(name)
            ? Effect.NONE : Effect.WRITE);
      } else {
        Boolean before = userDeclaredReadOnly.get(name);
        boolean readOnly = declaredReadOnly && sqlOrPlpgsql;
        userDeclaredReadOnly.put(name, before == null ? readOnly : before && readOnly);
      }
      return this;
    }

    /**
     * @param standardConformingStrings the server's standard_conforming_strings, as a new session
     *     gets it
     * @param trustDeclaredVolatility whether a user function declared IMMUTABLE or STABLE in sql
     *     or plpgsql counts as free of effects. PostgreSQL refuses INSERT/UPDATE/DELETE inside such
     *     a function but lets it call a VOLATILE function that writes (tested on 15: a STABLE
     *     plpgsql function calling a volatile one that inserts does insert), so the declaration is
     *     the user's word, not the server's guarantee; off by default.
     */
    public FunctionCatalog build(boolean standardConformingStrings, boolean trustDeclaredVolatility) {
      Map<String, Effect> all = new HashMap<String, Effect>(effects);
      for (Map.Entry<String, Boolean> user : userDeclaredReadOnly.entrySet()) {
        Effect effect = trustDeclaredVolatility && user.getValue() ? Effect.NONE : Effect.WRITE;
        Effect before = all.get(user.getKey());
        all.put(user.getKey(), before == null ? effect : worst(before, effect));
      }
      return new FunctionCatalog(Dialect.POSTGRESQL, !standardConformingStrings,
          Collections.unmodifiableMap(all), trustDeclaredVolatility);
    }

    // PostgreSQL picks an overload by argument types across the search path: every function of the
    // name, in any schema, must be harmless for a call of it to be.
    private void merge(String name, Effect effect) {
      Effect before = effects.get(name);
      effects.put(name, before == null ? effect : worst(before, effect));
    }
  }

  /**
   * A MySQL or MariaDB server's built-ins, plus the stored functions the user lets the agent trust
   * by their declared SQL_DATA_ACCESS (NO SQL, READS SQL DATA), which MySQL does not enforce.
   *
   * @param backslashEscapes the server's sql_mode, as a new session gets it, lacks
   *     NO_BACKSLASH_ESCAPES
   */
  public static FunctionCatalog mysql(Dialect dialect, boolean backslashEscapes,
      Set<String> trustedStoredFunctions) {
    Map<String, Effect> effects = new HashMap<String, Effect>();
    for (String name : trustedStoredFunctions) {
      effects.put(name.toLowerCase(Locale.ROOT), Effect.NONE);
    }
    return new FunctionCatalog(dialect.isMysqlFamily() ? dialect : Dialect.MYSQL, backslashEscapes,
        Collections.unmodifiableMap(effects), !trustedStoredFunctions.isEmpty());
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Whether this catalog came from the server (not only the built-in lists). */
  public boolean isFromServer() {
    return fromServer != null;
  }

  /** Whether a backslash escapes in a plain '...' string on this server. */
  boolean backslashEscapes() {
    return backslashEscapes;
  }

  /**
   * The effect of calling {@code name} (lower-case unless it was a quoted name).
   *
   * @param schema the qualifier written before it (lower-case), or null
   */
  Effect effectOf(String schema, String name) {
    Effect rule = SqlWords.FUNCTION_RULES.get(name);
    if (rule != null) {
      return rule;
    }
    switch (dialect) {
      case POSTGRESQL:
        return postgresEffect(schema, name);
      case MYSQL:
      case MARIADB:
        return mysqlEffect(schema, name);
      default:
        // Unknown server: a name either family knows as a harmless built-in. A user function of
        // that name on the other family would be called instead: the known limit of not knowing.
        if (schema == null) {
          return isHarmlessBuiltin(name) ? Effect.NONE : Effect.WRITE;
        }
        return isBuiltinSchema(schema) && isPostgresBuiltin(name) ? Effect.NONE : Effect.WRITE;
    }
  }

  private Effect postgresEffect(String schema, String name) {
    if (schema != null && !isBuiltinSchema(schema) && !trustsDeclaredVolatility) {
      return Effect.WRITE;                       // myschema.lower(x) is not the built-in
    }
    if (fromServer != null) {
      Effect effect = fromServer.get(name);
      return effect == null ? Effect.WRITE : effect;
    }
    // A known limit of the built-in list: PostgreSQL resolves overloads across schemas, so a user
    // function public.lower(integer) would be called by lower(5). The server's catalog knows.
    return isPostgresBuiltin(name) ? Effect.NONE : Effect.WRITE;
  }

  private Effect mysqlEffect(String schema, String name) {
    if (schema == null && BuiltinLists.MYSQL.contains(name)) {
      return Effect.NONE;
    }
    // A stored function (qualified, or a name that is no built-in): only the user's trust in its
    // declared SQL_DATA_ACCESS makes it harmless.
    Effect declared = fromServer == null ? null : fromServer.get(name);
    return declared == null ? Effect.WRITE : declared;
  }

  /** pg_catalog and information_schema: made by initdb, holding PostgreSQL's own functions. */
  static boolean isBuiltinSchema(String schema) {
    return schema.equals("pg_catalog") || schema.equals("information_schema");
  }

  private static boolean isPostgresBuiltin(String name) {
    return BuiltinLists.POSTGRES.contains(name) || SqlWords.POSTGRES_VOLATILE_READS.contains(name);
  }

  /** Whether the name is a harmless built-in of the dialect (for reading keywords as calls). */
  boolean isHarmlessBuiltin(String name) {
    switch (dialect) {
      case POSTGRESQL:
        return isPostgresBuiltin(name);
      case MYSQL:
      case MARIADB:
        return BuiltinLists.MYSQL.contains(name);
      default:
        return isPostgresBuiltin(name) || BuiltinLists.MYSQL.contains(name);
    }
  }

  static Effect worst(Effect a, Effect b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  @Override
  public String toString() {
    return "FunctionCatalog{" + dialect + (fromServer != null ? " from server, " + fromServer.size()
        + " names" : " built-in") + (backslashEscapes ? " backslash escapes" : "")
        + (trustsDeclaredVolatility ? " trusts declared volatility" : "") + "}";
  }

  /** Words of a resource list: '#' starts a comment line. */
  static Set<String> load(String resource) {
    Set<String> words = new HashSet<String>();
    InputStream in = FunctionCatalog.class.getResourceAsStream(resource);
    if (in == null) {
      return Collections.emptySet();              // no list: every call counts as a write
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        for (String w : line.trim().split("\\s+")) {
          if (!w.isEmpty()) {
            words.add(w);
          }
        }
      }
    } catch (IOException e) {
      return Collections.emptySet();
    }
    return Collections.unmodifiableSet(words);
  }
}
