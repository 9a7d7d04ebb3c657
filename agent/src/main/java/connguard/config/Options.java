package connguard.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The agent's effective options, checked and typed. Immutable; the accessors are plain field reads
 * because some of them are consulted on every statement.
 *
 * <p>Names, defaults and accepted forms live in one table ({@link Option}); where text comes from
 * and which source wins lives in {@link Sources}.
 */
public final class Options {
  private static final Options DEFAULTS = new Options(Collections.<Option<?>, Object>emptyMap());

  private final Map<Option<?>, Object> values;   // every option, defaults filled in; for describe()
  private final boolean enabled;
  private final int maxRetries;
  private final long validateIdleAfterNanos;
  private final long validationTimeoutMillis;
  private final long maxAgeNanos;
  private final boolean readServerTimeouts;
  private final boolean trustDeclaredVolatility;
  private final long retryWindowNanos;
  private final boolean transactionReplay;
  private final int transactionReplayMaxStatements;
  private final long transactionReplayMaxBytes;
  private final boolean resolveCommitOutcome;
  private final String resolveCommitOutcomeTable;
  private final String logLevel;
  private final IdempotentSql idempotentSql;
  private final boolean dryRun;
  private final long statsIntervalNanos;
  private final String logFile;
  private final boolean logsThroughApp;
  private final String metrics;

  private Options(Map<Option<?>, Object> parsed) {
    Map<Option<?>, Object> all = new HashMap<>();
    for (Option<?> option : Option.ALL) {
      all.put(option, parsed.containsKey(option) ? parsed.get(option) : option.defaultValue);
    }
    this.values = Collections.unmodifiableMap(all);
    this.enabled = value(Option.ENABLED);
    this.maxRetries = value(Option.MAX_RETRIES);
    this.validateIdleAfterNanos = value(Option.VALIDATE_IDLE_AFTER);
    this.validationTimeoutMillis = TimeUnit.NANOSECONDS.toMillis(value(Option.VALIDATION_TIMEOUT));
    this.maxAgeNanos = value(Option.MAX_AGE);
    this.readServerTimeouts = value(Option.READ_SERVER_TIMEOUTS);
    this.trustDeclaredVolatility = value(Option.TRUST_DECLARED_VOLATILITY);
    this.retryWindowNanos = value(Option.RETRY_WINDOW);
    this.transactionReplay = value(Option.TRANSACTION_REPLAY);
    this.transactionReplayMaxStatements = value(Option.TRANSACTION_REPLAY_MAX_STATEMENTS);
    this.transactionReplayMaxBytes = value(Option.TRANSACTION_REPLAY_MAX_BYTES);
    String resolve = value(Option.RESOLVE_COMMIT_OUTCOME);
    // auto: on only with transactionReplay, because on PostgreSQL it costs one extra round trip
    // (the transaction id) before each COMMIT of a transaction that wrote.
    this.resolveCommitOutcome = resolve.equals("auto") ? transactionReplay : resolve.equals("on");
    this.resolveCommitOutcomeTable = value(Option.RESOLVE_COMMIT_OUTCOME_TABLE);
    this.logLevel = value(Option.LOG_LEVEL);
    this.idempotentSql = value(Option.IDEMPOTENT_SQL);
    this.dryRun = value(Option.DRY_RUN);
    this.statsIntervalNanos = value(Option.STATS_INTERVAL);
    String file = value(Option.LOG_FILE);
    this.logFile = file == null || file.isEmpty() ? null : file;
    this.logsThroughApp = value(Option.LOGGING).equals("app");
    this.metrics = value(Option.METRICS);
  }

  public static Options defaults() {
    return DEFAULTS;
  }

  /**
   * Reads all sources with the contract's precedence: agent args > system properties >
   * environment > config file > defaults. Never throws; problems get one line each, appended to
   * {@code problems} for the caller to log. A bad value uses the option's default.
   */
  public static Options load(String agentArgs, Properties systemProperties, Map<String, String> env,
      List<String> problems) {
    List<String> sink = problems != null ? problems : new ArrayList<String>();
    try {
      Map<Option<?>, String> raw = Sources.read(agentArgs, systemProperties, env, sink);
      Map<Option<?>, Object> parsed = new HashMap<>();
      for (Option<?> option : Option.ALL) {
        if (raw.containsKey(option)) {
          parse(option, raw.get(option), parsed, sink);
        }
      }
      return new Options(parsed);
    } catch (RuntimeException bug) {
      // Options are read in premain: a bug here must cost the user their settings, not their app.
      try {
        sink.add(Problems.unexpected(bug));
      } catch (RuntimeException unmodifiableList) {
        // nowhere left to say it
      }
      return DEFAULTS;
    }
  }

  /** A table of every option: name, default, accepted forms and meaning; for the command line's help. */
  public static String usage() {
    return Usage.text();
  }

  public boolean enabled() {
    return enabled;
  }

  public int maxRetries() {
    return maxRetries;
  }

  /**
   * {@link Durations#OFF} when off; {@link Durations#AUTO} when auto, which the runtime replaces
   * with a value from the server's idle timeouts ({@link #validateIdleAfterDefaultNanos()} until known).
   */
  public long validateIdleAfterNanos() {
    return validateIdleAfterNanos;
  }

  /** validateIdleAfter's default, 2s: what auto uses until a server's timeouts are known. */
  public static long validateIdleAfterDefaultNanos() {
    return Option.VALIDATE_IDLE_AFTER.defaultValue;
  }

  public long validationTimeoutMillis() {
    return validationTimeoutMillis;
  }

  /** {@link Durations#OFF} when off. */
  public long maxAgeNanos() {
    return maxAgeNanos;
  }

  /** false: the agent opens no connection of its own to read idle timeouts; auto stays at the default. */
  public boolean readServerTimeouts() {
    return readServerTimeouts;
  }

  /**
   * true: a user function declared IMMUTABLE/STABLE in sql or plpgsql (PostgreSQL), or NO SQL /
   * READS SQL DATA (MySQL), counts as free of side effects when a SELECT calling it is judged.
   */
  public boolean trustDeclaredVolatility() {
    return trustDeclaredVolatility;
  }

  public long retryWindowNanos() {
    return retryWindowNanos;
  }

  public boolean transactionReplay() {
    return transactionReplay;
  }

  public int transactionReplayMaxStatements() {
    return transactionReplayMaxStatements;
  }

  public long transactionReplayMaxBytes() {
    return transactionReplayMaxBytes;
  }

  /** resolveCommitOutcome with auto resolved: true when on, or auto and transactionReplay=true. */
  public boolean resolveCommitOutcome() {
    return resolveCommitOutcome;
  }

  /** Null: none, and on MySQL/MariaDB no commit outcome is resolved. */
  public String resolveCommitOutcomeTable() {
    return resolveCommitOutcomeTable;
  }

  /** One of error, warn, info, debug. */
  public String logLevel() {
    return logLevel;
  }

  /** Never null; {@link IdempotentSql#NONE} when unset. */
  public IdempotentSql idempotentSql() {
    return idempotentSql;
  }

  /** Heal nothing; log the decisions that would have been taken. */
  public boolean dryRun() {
    return dryRun;
  }

  /** {@link Durations#OFF} when off. */
  public long statsIntervalNanos() {
    return statsIntervalNanos;
  }

  /** Null: stderr. */
  public String logFile() {
    return logFile;
  }

  /** logging=app: the agent's lines through the app's own logging (see connguard.log.AppLog). */
  public boolean logsThroughApp() {
    return logsThroughApp;
  }

  /** metrics=auto or jmx: the MBean connguard:type=Stats is registered. */
  public boolean registersMBean() {
    return !metrics.equals("none");
  }

  /**
   * metrics=auto: the counters also go where the app's metrics are (Micrometer, OpenTelemetry),
   * and recoveries become span events (see connguard.metrics).
   */
  public boolean bindsAppMetrics() {
    return metrics.equals("auto");
  }

  /** One line of effective values for the startup log: "enabled=true, maxRetries=2, ...". */
  public String describe() {
    StringBuilder line = new StringBuilder();
    for (Option<?> option : Option.ALL) {
      line.append(line.length() == 0 ? "" : ", ").append(option.key).append('=').append(print(option));
    }
    return line.toString();
  }

  private static <T> void parse(Option<T> option, String text, Map<Option<?>, Object> parsed, List<String> problems) {
    try {
      parsed.put(option, option.kind.parse(text));
    } catch (IllegalArgumentException refused) {
      problems.add(Problems.badValue(option, text, option.kind.reasonFor(refused)));
    }
  }

  private <T> String print(Option<T> option) {
    return option.kind.print(value(option));
  }

  @SuppressWarnings("unchecked")   // parse() stores only what option.kind produced, a T
  private <T> T value(Option<T> option) {
    return (T) values.get(option);
  }
}
