package connguard.policy;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** The word lists the SQL rules are made of, lower-case. Immutable. */
final class SqlWords {
  private SqlWords() {}

  /** Leading keywords of statements that only read. */
  static final Set<String> READ_LEADS = set(
      "select", "with", "show", "values", "table", "explain", "describe", "desc");

  /** Leading keywords of statements that write, or whose effect we cannot bound. */
  static final Set<String> WRITE_LEADS = set(
      "insert", "update", "delete", "merge", "replace", "upsert", "call", "do", "copy", "create",
      "alter", "drop", "truncate", "grant", "revoke", "lock", "vacuum", "analyze", "cluster",
      "reindex", "refresh", "notify", "listen", "unlisten", "prepare", "execute", "deallocate",
      "declare", "fetch", "move", "close", "load", "handler", "savepoint", "release");

  /**
   * A word outside literals and comments that makes a statement led by a read keyword not a read:
   * it writes, locks, assigns, or executes what it explains.
   */
  static final Set<String> NOT_IN_A_READ = set(
      "insert", "update", "delete", "merge", "upsert", "replace", "into", "call", "do", "copy",
      "create", "alter", "drop", "truncate", "grant", "revoke", "lock", "notify", "listen", "set",
      "analyze");

  /**
   * Leading keywords after which MySQL commits the open transaction by itself (DDL, account and
   * lock statements), plus statements that may commit from inside (CALL of a procedure, EXECUTE of
   * an unknown prepared statement). PostgreSQL DDL is transactional; treating it the same only
   * costs a retry.
   */
  static final Set<String> COMMITS_IMPLICITLY = set(
      "create", "alter", "drop", "truncate", "rename", "grant", "revoke", "lock", "unlock",
      "analyze", "optimize", "repair", "flush", "install", "uninstall", "call", "execute", "load",
      "cache", "purge", "begin", "start");

  /** Words of a BEGIN / START TRANSACTION statement that only set its modes. */
  static final Set<String> TRANSACTION_MODES = set(
      "work", "transaction", "isolation", "level", "read", "write", "only", "committed",
      "uncommitted", "repeatable", "serializable", "not", "deferrable", "with", "consistent",
      "snapshot", ",");

  /** Words that may follow COMMIT / ROLLBACK and keep them plain transaction ends. */
  static final Set<String> TRANSACTION_END_MODES = set("work", "transaction", "and", "no", "chain");

  /** MySQL RESET statements act on the server (binary logs, replicas, caches), not the session. */
  static final Set<String> SERVER_RESETS = set(
      "master", "slave", "replica", "query", "persist", "binary");

  /** Functions whose call holds a lock for the whole session, beyond the transaction. */
  static final Set<String> SESSION_LOCK_FUNCTIONS = set(
      "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock",
      "pg_try_advisory_lock_shared", "get_lock");

  /**
   * Words that make a SET's value differ when replayed later on a fresh connection (time, random,
   * per-connection numbers); FROM reads a table, whose contents change.
   */
  static final Set<String> NOT_REPLAYABLE_IN_SET = set(
      "now", "sysdate", "current_timestamp", "current_date", "current_time", "localtime",
      "localtimestamp", "utc_timestamp", "utc_date", "utc_time", "clock_timestamp",
      "statement_timestamp", "transaction_timestamp", "timeofday", "unix_timestamp", "rand",
      "random", "uuid", "uuid_short", "connection_id", "pg_backend_pid", "last_insert_id",
      "currval", "lastval", "found_rows", "row_count", "from");

  /**
   * Words that may be followed by "(" in a read without calling anything with a side effect:
   * side-effect-free builtins, type names used as casts, and SQL syntax that takes parentheses.
   * Anything else followed by "(" is a call we cannot vouch for (user functions, nextval,
   * pg_notify, set_config, dblink, sleep, lo_*, locks), so the statement counts as a write.
   *
   * <p>A known limit: PostgreSQL resolves overloads across schemas, so a user function
   * {@code public.lower(integer)} would be called by {@code lower(5)}; we trust builtin names.
   */
  static final Set<String> SAFE_CALLS = set(
      // aggregates, strings, numbers
      "count", "sum", "avg", "min", "max", "coalesce", "nullif", "greatest", "least", "lower",
      "upper", "length", "char_length", "character_length", "octet_length", "substr", "substring",
      "trim", "ltrim", "rtrim", "btrim", "replace", "concat", "concat_ws", "position", "strpos",
      "left", "right", "lpad", "rpad", "repeat", "reverse", "split_part", "abs", "round", "trunc",
      "floor", "ceil", "ceiling", "mod", "power", "sqrt", "exp", "ln", "log", "sign",
      // time
      "now", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
      "date_trunc", "date_part", "extract", "to_char", "to_date", "to_timestamp", "to_number",
      "age",
      // casts, predicates, arrays, json, windows
      "cast", "convert", "exists", "in", "any", "all", "some", "array", "array_agg", "string_agg",
      "json_agg", "jsonb_agg", "json_build_object", "jsonb_build_object", "row_to_json", "to_json",
      "to_jsonb", "bool_and", "bool_or", "every", "row_number", "rank", "dense_rank", "lag", "lead",
      "first_value", "last_value", "over", "filter", "within", "generate_series", "unnest",
      // session information (reads only)
      "version", "current_user", "session_user", "current_schema", "current_database",
      "database", "user", "schema", "pg_backend_pid", "connection_id", "currval", "lastval",
      // MySQL and compatibility builtins
      "ifnull", "if", "isnull", "nvl", "date", "year", "month", "day", "hour", "minute", "second",
      "datediff", "date_add", "date_sub", "date_format", "str_to_date", "unix_timestamp",
      "from_unixtime", "md5", "sha1", "sha2", "hex", "unhex", "uuid", "random", "rand",
      // row constructors and type names used as casts: numeric(10,2), varchar(20), int4(x)
      "values", "row", "char", "varchar", "int", "integer", "bigint", "smallint", "tinyint",
      "mediumint", "numeric", "decimal", "text", "real", "float", "double", "precision",
      "boolean", "bool", "time", "timetz", "timestamp", "timestamptz", "datetime", "interval",
      "bit", "varbit", "character", "varying", "nchar", "binary", "varbinary", "signed",
      "unsigned", "json", "jsonb", "bytea", "int2", "int4", "int8", "float4", "float8",
      // syntax that takes parentheses: (select ...), in (...), over (...), using (...)
      "and", "or", "not", "on", "using", "as", "from", "where", "join", "case", "when", "then",
      "else", "end", "partition", "by", "order", "group", "having", "limit", "offset", "union",
      "intersect", "except", "select", "with", "recursive", "lateral", "distinct", "is",
      "between", "like", "ilike", "similar", "to", "escape", "sets", "rollup", "cube",
      "grouping", "inner", "outer", "full", "cross", "natural", "index", "key", "explain",
      "match", "against", "regexp", "rlike", "xor", "div", "collate", "materialized");

  /** Leading keywords of statements that change session settings. */
  static final Set<String> SESSION_LEADS = set("set", "use", "reset", "discard");

  /** Words that, anywhere in a text we cannot read, may mean session state we cannot restore. */
  static final Set<String> UNREADABLE_PINS = set(
      "temp", "temporary", "cursor", "listen", "prepare", "lock", "handler", "autocommit",
      "set_config", "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock",
      "pg_try_advisory_lock_shared", "get_lock");

  /** Inside a CTE's parentheses, what starts a query (as opposed to a column definition list). */
  static final Set<String> QUERY_STARTS = set("select", "with", "table");

  private static Set<String> set(String... words) {
    return Collections.unmodifiableSet(new HashSet<String>(Arrays.asList(words)));
  }
}
