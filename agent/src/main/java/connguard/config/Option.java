package connguard.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The table of options: name, default, accepted forms and meaning. Parsing, problem lines,
 * {@link Options#describe()} and {@link Options#usage()} all read it; a new option is one row here
 * and one field in {@link Options}.
 */
final class Option<T> {
  static final Option<Boolean> ENABLED = new Option<>("enabled", ValueKind.BOOLEAN, "true",
      "false: the agent installs nothing");
  static final Option<Integer> MAX_RETRIES = new Option<>("maxRetries", ValueKind.RETRY_COUNT, "2",
      "re-executions of one statement after a dead connection");
  static final Option<Long> VALIDATE_IDLE_AFTER = new Option<>("validateIdleAfter", ValueKind.DURATION_OFF_OR_AUTO, "2s",
      "check a connection (isValid) before its first use after idling this long; auto: from the server's idle timeouts");
  static final Option<Long> VALIDATION_TIMEOUT = new Option<>("validationTimeout", ValueKind.POSITIVE_DURATION, "2s",
      "how long that check may take");
  static final Option<Long> MAX_AGE = new Option<>("maxAge", ValueKind.DURATION_OR_OFF, "off",
      "replace a physical connection older than this at the next safe point");
  static final Option<Boolean> READ_SERVER_TIMEOUTS = new Option<>("readServerTimeouts", ValueKind.BOOLEAN, "true",
      "read each server's idle timeouts once, on a connection of the agent's own: warn on a misfit, tune auto");
  static final Option<Boolean> TRUST_DECLARED_VOLATILITY = new Option<>("trustDeclaredVolatility", ValueKind.BOOLEAN,
      "false", "a SELECT may call your functions declared IMMUTABLE/STABLE (PostgreSQL) or NO SQL/READS SQL DATA (MySQL)"
      + " and still be re-executed; the servers do not fully enforce those declarations");
  static final Option<IdempotentSql> IDEMPOTENT_SQL = new Option<>("idempotentSql", ValueKind.REGEX, "",
      "writes matching it (find) may be re-executed even when their outcome is unknown");
  static final Option<Long> RETRY_WINDOW = new Option<>("retryWindow", ValueKind.POSITIVE_DURATION, "15s",
      "time budget for getting a fresh connection (reconnect attempts with backoff)");
  static final Option<Boolean> TRANSACTION_REPLAY = new Option<>("transactionReplay", ValueKind.BOOLEAN, "false",
      "replay a transaction lost mid-way and verify its results");
  static final Option<Integer> TRANSACTION_REPLAY_MAX_STATEMENTS = new Option<>("transactionReplayMaxStatements",
      ValueKind.POSITIVE_COUNT, "1000", "past this many statements a transaction is not replayable (its log is dropped)");
  static final Option<Long> TRANSACTION_REPLAY_MAX_BYTES = new Option<>("transactionReplayMaxBytes",
      ValueKind.BYTES, "1MiB", "past this much recorded SQL and parameters (estimated) a transaction is not replayable");
  static final Option<String> RESOLVE_COMMIT_OUTCOME = new Option<>("resolveCommitOutcome", ValueKind.AUTO_ON_OFF, "auto",
      "PostgreSQL: find out whether a commit whose reply was lost was applied; auto: on with transactionReplay");
  static final Option<String> RESOLVE_COMMIT_OUTCOME_TABLE = new Option<>("resolveCommitOutcomeTable", ValueKind.TABLE_NAME, "",
      "MySQL/MariaDB: a table of yours (slot varchar(64) primary key, token bigint) for resolveCommitOutcome's token row");
  static final Option<String> LOG_LEVEL = new Option<>("logLevel", ValueKind.LOG_LEVEL, "info",
      "agent log level");
  static final Option<Boolean> DRY_RUN = new Option<>("dryRun", ValueKind.BOOLEAN, "false",
      "heal nothing; log what would have been re-executed or refused");
  static final Option<Long> STATS_INTERVAL = new Option<>("statsInterval", ValueKind.DURATION_OR_OFF, "off",
      "log a one-line summary of the counters this often");
  static final Option<String> LOG_FILE = new Option<>("logFile", ValueKind.PATH, "",
      "write the agent's log to this file instead of stderr");
  static final Option<String> LOGGING = new Option<>("logging", ValueKind.LOGGING_TARGET, "agent",
      "agent: the agent's own lines on stderr (or logFile); app: through the app's logging (SLF4J, else"
      + " java.util.logging), logger connguard, lines kept until the app's first connection");
  static final Option<String> METRICS = new Option<>("metrics", ValueKind.METRICS_TARGET, "auto",
      "auto: the JMX MBean, and the counters in the app's Micrometer and OpenTelemetry where it has them, with a"
      + " span event per recovery or refusal; jmx: the MBean only; none: not even the MBean");
  static final Option<String> CONFIG = new Option<>("config", ValueKind.PATH, "",
      "properties file with more options (keys with or without \"connguard.\")");

  /** In the order of the contract; describe() and usage() list them so. */
  static final List<Option<?>> ALL = Collections.unmodifiableList(Arrays.<Option<?>>asList(
      ENABLED, MAX_RETRIES, VALIDATE_IDLE_AFTER, VALIDATION_TIMEOUT, MAX_AGE, READ_SERVER_TIMEOUTS,
      TRUST_DECLARED_VOLATILITY, IDEMPOTENT_SQL,
      RETRY_WINDOW, TRANSACTION_REPLAY, TRANSACTION_REPLAY_MAX_STATEMENTS, TRANSACTION_REPLAY_MAX_BYTES,
      RESOLVE_COMMIT_OUTCOME, RESOLVE_COMMIT_OUTCOME_TABLE, LOG_LEVEL, DRY_RUN, STATS_INTERVAL, LOG_FILE, LOGGING, METRICS,
      CONFIG));

  /** The canonical spelling, as messages report it. */
  final String key;
  final ValueKind<T> kind;
  final T defaultValue;
  final String meaning;

  private Option(String key, ValueKind<T> kind, String defaultText, String meaning) {
    this.key = key;
    this.kind = kind;
    // The default goes through the same parser as user input: the table cannot hold a default
    // its own option would refuse.
    this.defaultValue = kind.parse(defaultText);
    this.meaning = meaning;
  }

  /** The option with this name in any letter case, or null. */
  static Option<?> named(String name) {
    for (Option<?> option : ALL) {
      if (option.key.equalsIgnoreCase(name)) {
        return option;
      }
    }
    return null;
  }

  /** "enabled, maxRetries, ..." for the unknown-option line. */
  static String names() {
    StringBuilder names = new StringBuilder();
    for (Option<?> option : ALL) {
      names.append(names.length() == 0 ? "" : ", ").append(option.key);
    }
    return names.toString();
  }

  String defaultText() {
    return kind.print(defaultValue);
  }

  @Override
  public String toString() {
    return key;
  }
}
