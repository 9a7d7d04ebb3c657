package connguard.policy;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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

  /**
   * Words that may be followed by "(" without calling a function: SQL syntax that takes
   * parentheses, and type names used as casts or with a length (numeric(10,2), varchar(20)). A
   * word followed by "(" that is not here is a call, judged by {@link FunctionCatalog}.
   */
  static final Set<String> CALL_SYNTAX = set(
      // predicates, constructors and special forms of the SQL standard
      "exists", "in", "any", "all", "some", "array", "row", "values", "cast", "extract", "overlay",
      "position", "substring", "trim", "treat", "coalesce", "nullif", "greatest", "least",
      "normalize", "collation", "for", "over", "filter", "within", "zone", "of", "columns",
      "nested", "path", "ordinality", "tablesample", "bernoulli", "system", "repeatable",
      "xmlelement", "xmlforest", "xmlconcat", "xmlparse", "xmlserialize", "xmlroot", "xmlexists",
      "xmlpi", "xmlattributes", "xmltable", "json_table", "current_date", "current_time",
      "current_timestamp", "localtime", "localtimestamp",
      // type names used as casts or with a length: numeric(10,2), varchar(20), int4(x)
      "char", "varchar", "int", "integer", "bigint", "smallint", "tinyint", "mediumint", "numeric",
      "decimal", "dec", "text", "real", "float", "double", "precision", "boolean", "bool", "time",
      "timetz", "timestamp", "timestamptz", "datetime", "interval", "bit", "varbit", "character",
      "varying", "nchar", "nvarchar", "binary", "varbinary", "signed", "unsigned", "json", "jsonb",
      "bytea", "int2", "int4", "int8", "float4", "float8", "enum",
      // clauses that take parentheses: (select ...), in (...), over (...), using (...)
      "and", "or", "not", "on", "using", "as", "from", "where", "join", "case", "when", "then",
      "else", "end", "partition", "by", "order", "group", "having", "limit", "offset", "union",
      "intersect", "except", "select", "with", "recursive", "lateral", "distinct", "is",
      "between", "like", "ilike", "similar", "to", "escape", "sets", "rollup", "cube",
      "grouping", "inner", "outer", "full", "cross", "natural", "index", "key", "explain",
      "match", "against", "regexp", "rlike", "xor", "div", "collate", "materialized", "window",
      "rows", "range", "groups", "fetch", "first", "next", "only", "ties", "returning", "force",
      "ignore", "operator");

  /**
   * PostgreSQL built-ins declared VOLATILE that read, compute or wait without a data effect: a
   * re-run on a fresh connection gives a true answer (from the function reference of PostgreSQL's
   * documentation, chapters "System Administration Functions", "System Information Functions",
   * "Date/Time Functions", "UUID Functions" and "Mathematical Functions").
   */
  static final Set<String> POSTGRES_VOLATILE_READS = set(
      "random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid", "pg_sleep",
      "pg_sleep_for", "pg_sleep_until", "pg_is_in_recovery", "pg_is_wal_replay_paused",
      "pg_get_wal_replay_pause_state", "pg_current_wal_lsn", "pg_current_wal_insert_lsn",
      "pg_current_wal_flush_lsn", "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn",
      "pg_last_xact_replay_timestamp", "pg_last_committed_xact", "pg_database_size",
      "pg_relation_size", "pg_table_size", "pg_indexes_size", "pg_total_relation_size",
      "pg_tablespace_size", "pg_blocking_pids", "pg_safe_snapshot_blocking_pids", "pg_lock_status",
      "pg_notification_queue_usage", "pg_jit_available", "pg_stat_file", "pg_ls_dir",
      "pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir",
      "pg_ls_logicalmapdir", "pg_ls_logicalsnapdir", "pg_ls_replslotdir", "pg_read_file",
      "pg_read_binary_file", "pg_current_logfile", "pg_control_checkpoint", "pg_control_system",
      "pg_control_init", "pg_control_recovery", "pg_get_backend_memory_contexts",
      "pg_get_shmem_allocations", "pg_hba_file_rules", "pg_ident_file_mappings",
      "pg_show_all_file_settings", "pg_partition_tree", "pg_partition_ancestors",
      "pg_prepared_xact", "pg_xact_commit_timestamp", "pg_xact_commit_timestamp_origin",
      "pg_xact_status", "txid_status", "pg_get_multixact_members", "pg_collation_actual_version",
      "pg_database_collation_actual_version", "pg_stat_have_stats",
      "pg_show_replication_origin_status", "pg_get_wal_resource_managers",
      "pg_stat_get_recovery_prefetch", "pg_sequence_last_value", "current_query",
      "pg_get_wal_summarizer_state", "pg_available_wal_summaries", "pg_wal_summary_contents",
      "pg_get_loaded_modules", "pg_stat_get_backend_io", "pg_ls_summariesdir",
      "pg_stat_clear_snapshot",
      // PostgreSQL 9.6's names of the WAL functions that 10 renamed (xlog to wal, location to
      // lsn; release notes of 10): monitoring tools still send them to older servers.
      "pg_current_xlog_location", "pg_current_xlog_insert_location",
      "pg_current_xlog_flush_location", "pg_last_xlog_receive_location",
      "pg_last_xlog_replay_location", "pg_xlog_location_diff", "pg_xlogfile_name",
      "pg_xlogfile_name_offset", "pg_is_xlog_replay_paused");

  /** Functions whose answer belongs to the session that ran them: a fresh connection's is false. */
  static final Set<String> SESSION_BOUND_FUNCTIONS = set(
      "last_insert_id", "found_rows", "row_count", "currval", "lastval",
      "pg_replication_origin_session_progress", "pg_replication_origin_session_is_setup",
      "cursor_to_xml", "cursor_to_xmlschema", "pg_listening_channels", "pg_my_temp_schema",
      "pg_is_other_temp_schema", "scope_identity", "identity_val_local",
      // H2 1.4: IDENTITY() is "the last inserted identity value for this session"
      "identity");

  /** Functions that take the next number of a sequence. */
  static final Set<String> SEQUENCE_FUNCTIONS = set("nextval");

  /** Functions whose call holds a lock for the whole session, beyond the transaction. */
  static final Set<String> SESSION_LOCK_FUNCTIONS = set(
      "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock",
      "pg_try_advisory_lock_shared", "get_lock");

  /** Functions that release one session lock taken by a {@link #SESSION_LOCK_FUNCTIONS} call. */
  static final Set<String> SESSION_UNLOCK_FUNCTIONS = set(
      "pg_advisory_unlock", "pg_advisory_unlock_shared", "release_lock");

  /** Functions that release every session lock the session holds. */
  static final Set<String> SESSION_UNLOCK_ALL_FUNCTIONS = set("pg_advisory_unlock_all", "release_all_locks");

  /** Functions that change the session: state a fresh connection would not have. */
  static final Set<String> SESSION_CHANGE_FUNCTIONS = set(
      "set_config", "setseed", "pg_replication_origin_session_setup",
      "pg_replication_origin_session_reset", "pg_replication_origin_xact_setup",
      "pg_replication_origin_xact_reset", "pg_export_snapshot");

  /**
   * Functions with an effect beyond the statement, named so that no list ever takes them for
   * harmless (most are VOLATILE anyway): sequences set, locks released, notifications, large
   * objects, backends signalled, configuration reloaded, statistics reset, replication slots,
   * remote SQL, and MySQL's locks and sequences.
   */
  static final Set<String> WRITE_FUNCTIONS = set(
      "setval", "pg_notify", "pg_advisory_unlock", "pg_advisory_unlock_shared",
      "pg_advisory_unlock_all", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared",
      "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared", "lo_creat", "lo_create",
      "lo_import", "lo_export", "lo_unlink", "lo_put", "lo_from_bytea", "lo_open", "lo_close",
      "lo_truncate", "lo_truncate64", "lowrite", "loread", "lo_lseek", "lo_lseek64", "lo_tell",
      "lo_tell64", "lo_get", "dblink", "dblink_exec", "dblink_connect", "dblink_connect_u",
      "dblink_disconnect", "dblink_send_query", "dblink_open", "dblink_fetch", "dblink_close",
      "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile",
      "pg_switch_wal", "pg_create_restore_point", "pg_promote", "pg_wal_replay_pause",
      "pg_wal_replay_resume", "pg_switch_xlog", "pg_xlog_replay_pause", "pg_xlog_replay_resume",
      "pg_backup_start", "pg_backup_stop", "pg_start_backup",
      "pg_stop_backup", "pg_create_physical_replication_slot",
      "pg_create_logical_replication_slot", "pg_drop_replication_slot",
      "pg_copy_physical_replication_slot", "pg_copy_logical_replication_slot",
      "pg_replication_slot_advance", "pg_logical_slot_get_changes",
      "pg_logical_slot_get_binary_changes", "pg_logical_emit_message",
      "pg_replication_origin_create", "pg_replication_origin_drop",
      "pg_replication_origin_advance", "pg_stat_reset", "pg_stat_reset_shared",
      "pg_stat_reset_single_table_counters", "pg_stat_reset_single_function_counters",
      "pg_stat_reset_slru", "pg_stat_reset_replication_slot", "pg_stat_reset_subscription_stats",
      "pg_stat_statements_reset", "pg_log_backend_memory_contexts", "pg_import_system_collations",
      "pg_nextoid", "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "ts_stat",
      "ts_rewrite", "brin_summarize_range", "brin_summarize_new_values", "brin_desummarize_range",
      "gin_clean_pending_list", "release_lock", "release_all_locks", "sys_exec",
      "sys_eval");

  /** Function name to its effect, for the names whose effect is not "none". */
  static final Map<String, FunctionCatalog.Effect> FUNCTION_RULES = rules();

  /** Server variables (@@name) whose value belongs to the session's last statements. */
  static final Set<String> SESSION_BOUND_VARIABLES = set(
      "identity", "last_insert_id", "insert_id", "warning_count", "error_count", "rowcount",
      "last_gtid");

  /** What SHOW reads about the session's last statements: SHOW WARNINGS, ERRORS, PROFILE(S). */
  static final Set<String> SESSION_BOUND_SHOWS = set("warnings", "errors", "profile", "profiles");

  /**
   * Words outside literals that may tell of a session effect anywhere in a statement: the cheap
   * first look ({@link SessionSql}) scans every successful statement for these, and the full
   * reading finds session effects only through words that contain one of them. "lock" covers the
   * session lock functions, LOCK TABLES and UNLOCK; "set_config" and "setseed" the session changes;
   * "into" SELECT ... INTO TEMP and INTO @v; ":=" the MySQL assignment; the rest the session
   * functions of replication origins and snapshots.
   */
  static final String[] SESSION_MARKS = {"lock", "set_config", "setseed", "into", ":=",
      "replication_origin", "export_snapshot"};
  /**
   * Words that make a SET's value differ when replayed later on a fresh connection (time, random,
   * per-connection numbers, answers of the lost session); FROM reads a table, whose contents
   * change.
   */
  static final Set<String> NOT_REPLAYABLE_IN_SET = union(SESSION_BOUND_FUNCTIONS, set(
      "now", "sysdate", "current_timestamp", "current_date", "current_time", "localtime",
      "localtimestamp", "utc_timestamp", "utc_date", "utc_time", "clock_timestamp",
      "statement_timestamp", "transaction_timestamp", "timeofday", "unix_timestamp", "rand",
      "random", "uuid", "uuid_short", "connection_id", "pg_backend_pid", "from"));

  /** Leading keywords of statements that change session settings. */
  static final Set<String> SESSION_LEADS = set("set", "use", "reset", "discard");

  /**
   * Leading keywords of statements that may change the session or its transaction: the cheap
   * first look ({@link SessionSql}) says yes to each; the full reading gives session effects to
   * statements led by no other word, except through a {@link #SESSION_MARKS} word.
   */
  static final Set<String> SESSION_EFFECT_LEADS = union(SESSION_LEADS, set(
      "begin", "start", "commit", "end", "rollback", "abort", "create", "declare", "listen",
      "prepare", "lock", "unlock", "handler", "xa"));

  /** Inside a CTE's parentheses, what starts a query (as opposed to a column definition list). */
  static final Set<String> QUERY_STARTS = set("select", "with", "table");

  private static Map<String, FunctionCatalog.Effect> rules() {
    Map<String, FunctionCatalog.Effect> rules = new HashMap<String, FunctionCatalog.Effect>();
    put(rules, WRITE_FUNCTIONS, FunctionCatalog.Effect.WRITE);
    put(rules, SESSION_LOCK_FUNCTIONS, FunctionCatalog.Effect.SESSION_LOCK);
    put(rules, SESSION_CHANGE_FUNCTIONS, FunctionCatalog.Effect.SESSION_CHANGE);
    put(rules, SEQUENCE_FUNCTIONS, FunctionCatalog.Effect.SEQUENCE_FETCH);
    put(rules, SESSION_BOUND_FUNCTIONS, FunctionCatalog.Effect.SESSION_BOUND);
    return Collections.unmodifiableMap(rules);
  }

  private static void put(Map<String, FunctionCatalog.Effect> rules, Set<String> names,
      FunctionCatalog.Effect effect) {
    for (String name : names) {
      if (rules.put(name, effect) != null) {
        throw new IllegalStateException(name + " has two rules");
      }
    }
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<String>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Collections.unmodifiableSet(all);
  }

  private static Set<String> set(String... words) {
    return Collections.unmodifiableSet(new HashSet<String>(Arrays.asList(words)));
  }
}
