package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Options.load against the contract: sources, precedence, and one clear line per problem. */
class OptionsTest {
  private static final String DEFAULTS_LINE = "enabled=true, maxRetries=2, validateIdleAfter=2s, validationTimeout=2s,"
      + " maxAge=off, readServerTimeouts=true, trustDeclaredVolatility=false, idempotentSql=none, retryWindow=15s, transactionReplay=false,"
      + " transactionReplayMaxStatements=1000,"
      + " transactionReplayMaxBytes=1MiB, resolveCommitOutcome=auto, resolveCommitOutcomeTable=none, logLevel=info, dryRun=false,"
      + " statsInterval=off, logFile=none, logging=agent, metrics=auto, config=none";

  @TempDir
  Path dir;

  private final Properties systemProperties = new Properties();
  private final Map<String, String> env = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  // ---- defaults ----

  @Test
  void defaultsAreTheContracts() {
    Options options = Options.defaults();
    assertTrue(options.enabled());
    assertEquals(2, options.maxRetries());
    assertEquals(TimeUnit.SECONDS.toNanos(2), options.validateIdleAfterNanos());
    assertEquals(2000, options.validationTimeoutMillis());
    assertEquals(Durations.OFF, options.maxAgeNanos());
    assertEquals(TimeUnit.SECONDS.toNanos(15), options.retryWindowNanos());
    assertFalse(options.transactionReplay());
    assertEquals("info", options.logLevel());
    assertSame(IdempotentSql.NONE, options.idempotentSql());
    assertEquals(DEFAULTS_LINE, options.describe());
  }

  @Test
  void nothingGivenIsDefaultsWithoutProblems() {
    assertEquals(DEFAULTS_LINE, Options.load(null, null, null, problems).describe());
    assertEquals(DEFAULTS_LINE, Options.load("", new Properties(), Collections.<String, String>emptyMap(), problems)
        .describe());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void nullProblemListIsAllowed() {
    assertEquals(3, Options.load("maxRetries=3,foo=1", null, null, null).maxRetries());
  }

  @Test
  void unrelatedSystemPropertiesAndEnvironmentAreIgnoredQuietly() {
    systemProperties.setProperty("user.home", "/home/x");
    systemProperties.setProperty("maxRetries", "5");        // no connguard. prefix: not ours
    systemProperties.put("connguard.maxRetries", 6);         // not a String: not a property value
    env.put("HOME", "/home/x");
    env.put("MAXRETRIES", "7");
    assertEquals(DEFAULTS_LINE, load(null).describe());
    assertEquals(0, problems.size(), problems.toString());
  }

  // ---- each source on its own ----

  @Test
  void agentArgsSetEveryOption() throws IOException {
    Path file = write("c.properties", "");
    Options options = load("enabled=no,maxRetries=5,validateIdleAfter=250ms,validationTimeout=1s,maxAge=30m,"
        + "idempotentSql=^insert into audit,retryWindow=1m,transactionReplay=on,logLevel=DEBUG,dryRun=yes,"
        + "statsInterval=1m,logFile=/tmp/cg.log,config=" + file);
    assertFalse(options.enabled());
    assertEquals(5, options.maxRetries());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(250), options.validateIdleAfterNanos());
    assertEquals(1000, options.validationTimeoutMillis());
    assertEquals(TimeUnit.MINUTES.toNanos(30), options.maxAgeNanos());
    assertTrue(options.idempotentSql().matches("insert into audit_log values (1)"));
    assertFalse(options.idempotentSql().matches("update audit_log set x = 1"));
    assertEquals(TimeUnit.MINUTES.toNanos(1), options.retryWindowNanos());
    assertTrue(options.transactionReplay());
    assertTrue(options.resolveCommitOutcome(), "auto follows transactionReplay");
    assertEquals("debug", options.logLevel());
    assertTrue(options.dryRun());
    assertEquals(TimeUnit.MINUTES.toNanos(1), options.statsIntervalNanos());
    assertEquals("/tmp/cg.log", options.logFile());
    assertEquals("enabled=false, maxRetries=5, validateIdleAfter=250ms, validationTimeout=1s, maxAge=30m,"
        + " readServerTimeouts=true, trustDeclaredVolatility=false, idempotentSql=\"^insert into audit\", retryWindow=1m, transactionReplay=true,"
        + " transactionReplayMaxStatements=1000, transactionReplayMaxBytes=1MiB, resolveCommitOutcome=auto,"
        + " resolveCommitOutcomeTable=none, logLevel=debug,"
        + " dryRun=true, statsInterval=1m, logFile=\"/tmp/cg.log\", logging=agent, metrics=auto, config=\"" + file + "\"", options.describe());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void systemPropertiesUseTheConnguardPrefix() {
    systemProperties.setProperty("connguard.maxRetries", "4");
    systemProperties.setProperty("connguard.validateIdleAfter", "off");
    Options options = load(null);
    assertEquals(4, options.maxRetries());
    assertEquals(Durations.OFF, options.validateIdleAfterNanos());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void validateIdleAfterAutoIsKeptForTheRuntimeToResolve() {
    Options options = load("validateIdleAfter=auto");
    assertEquals(Durations.AUTO, options.validateIdleAfterNanos());
    assertEquals(TimeUnit.SECONDS.toNanos(2), Options.validateIdleAfterDefaultNanos());
    assertTrue(options.describe().contains("validateIdleAfter=auto"), options.describe());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void autoIsRefusedForOtherDurations() {
    Options options = load("maxAge=auto");
    assertEquals(Durations.OFF, options.maxAgeNanos());
    assertEquals(Collections.singletonList("connguard: maxAge=\"auto\" is not valid; use 250ms, 2s,"
        + " 5m, 1h, a number of ms, or off (using default off)"), problems);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "CONNGUARD_MAXRETRIES, 3, maxRetries=3",
      "CONNGUARD_VALIDATEIDLEAFTER, 5s, validateIdleAfter=5s",
      "CONNGUARD_VALIDATIONTIMEOUT, 100ms, validationTimeout=100ms",
      "CONNGUARD_TRANSACTIONREPLAY, yes, transactionReplay=true",
      "CONNGUARD_LOGLEVEL, warn, logLevel=warn",
      "CONNGUARD_MAXAGE, 1h, maxAge=1h",
      "CONNGUARD_RETRYWINDOW, 20s, retryWindow=20s",
      "CONNGUARD_ENABLED, 0, enabled=false",
      "connguard_maxretries, 3, maxRetries=3",
  })
  void environmentIsTheFullKeyInUpperCase(String name, String value, String effective) {
    env.put(name, value);
    assertTrue(load(null).describe().contains(effective));
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void configFileKeysWorkWithAndWithoutPrefix() throws IOException {
    Path file = write("c.properties", "maxRetries=4\nconnguard.logLevel=warn\nCONNGUARD.maxAge=10m\n");
    Options options = load("config=" + file);
    assertEquals(4, options.maxRetries());
    assertEquals("warn", options.logLevel());
    assertEquals(TimeUnit.MINUTES.toNanos(10), options.maxAgeNanos());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void configFileIsTheEasyPlaceForComplicatedRegexes() throws IOException {
    Path file = write("c.properties", "idempotentSql=^insert into t\\\\(a,b=1\\\\)\n");
    Options options = load("config=" + file);
    assertTrue(options.idempotentSql().matches("insert into t(a,b=1)"));
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void configFileCannotNameAnotherFile() throws IOException {
    Path other = write("other.properties", "maxRetries=9\n");
    Path file = write("c.properties", "config=" + other + "\nmaxRetries=4\n");
    Options options = load("config=" + file);
    assertEquals(4, options.maxRetries());
    assertTrue(options.describe().endsWith("config=\"" + file + "\""));
  }

  // ---- precedence ----

  /** maxRetries is 5 in agent args, 4 in system properties, 3 in env, 1 in the file, 2 by default. */
  @ParameterizedTest(name = "args={0} sys={1} env={2} file={3} -> {4}")
  @CsvSource({
      "Y, Y, Y, Y, 5",
      "N, Y, Y, Y, 4",
      "N, N, Y, Y, 3",
      "N, N, N, Y, 1",
      "N, N, N, N, 2",
      "Y, N, N, Y, 5",
      "N, Y, N, Y, 4",
      "Y, N, Y, N, 5",
  })
  void agentArgsBeatSystemPropertiesBeatEnvBeatFileBeatDefault(String args, String sys, String environment,
      String file, int expected) throws IOException {
    Path config = write("c.properties", "Y".equals(file) ? "maxRetries=1\n" : "");
    if ("Y".equals(sys)) {
      systemProperties.setProperty("connguard.maxRetries", "4");
    }
    if ("Y".equals(environment)) {
      env.put("CONNGUARD_MAXRETRIES", "3");
    }
    env.put("CONNGUARD_CONFIG", config.toString());
    assertEquals(expected, load("Y".equals(args) ? "maxRetries=5" : "").maxRetries());
    assertEquals(0, problems.size(), problems.toString());
  }

  /** Each file sets maxRetries to its own number; the path itself follows args > sys > env. */
  @ParameterizedTest(name = "args={0} sys={1} env={2} -> file {3}")
  @CsvSource({
      "Y, Y, Y, 7",
      "N, Y, Y, 8",
      "N, N, Y, 9",
  })
  void configPathComesFromArgsThenSystemPropertiesThenEnv(String args, String sys, String environment,
      int expected) throws IOException {
    if ("Y".equals(sys)) {
      systemProperties.setProperty("connguard.config", write("sys.properties", "maxRetries=8\n").toString());
    }
    if ("Y".equals(environment)) {
      env.put("CONNGUARD_CONFIG", write("env.properties", "maxRetries=9\n").toString());
    }
    String agentArgs = "Y".equals(args) ? "config=" + write("args.properties", "maxRetries=7\n") : null;
    assertEquals(expected, load(agentArgs).maxRetries());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void badValueThatWonUsesTheDefaultNotALowerSource() {
    env.put("CONNGUARD_MAXRETRIES", "3");
    assertEquals(2, load("maxRetries=eleven").maxRetries());
    assertEquals(1, problems.size(), problems.toString());
  }

  @Test
  void badValueInASourceThatLostIsNotReported() {
    env.put("CONNGUARD_MAXRETRIES", "eleven");
    assertEquals(3, load("maxRetries=3").maxRetries());
    assertEquals(0, problems.size(), problems.toString());
  }

  // ---- bad values: one line each, naming key, value, forms; default used ----

  @ParameterizedTest(name = "{0}=\"{1}\" -> default {2}")
  @CsvSource(delimiter = '|', value = {
      "enabled|maybe|true",
      "maxRetries|11|2",
      "maxRetries|-1|2",
      "maxRetries|two|2",
      "validateIdleAfter|2 sec|2s",
      "validateIdleAfter|-5s|2s",
      "validationTimeout|off|2s",
      "validationTimeout|0|2s",
      "maxAge|forever|off",
      "idempotentSql|a(b|none",
      "retryWindow|off|15s",
      "retryWindow|0ms|15s",
      "transactionReplay|sometimes|false",
      "logLevel|trace|info",
      "metrics|prometheus|auto",
  })
  void badValueIsOneLineAndTheDefaultIsUsed(String key, String value, String defaultText) {
    systemProperties.setProperty("connguard." + key, value);
    Options options = load(null);
    assertEquals(1, problems.size(), problems.toString());
    String line = problems.get(0);
    assertTrue(line.startsWith("connguard: " + key + "=\"" + value + "\" is not valid"), line);
    assertTrue(line.contains("; use " + Option.named(key).kind.forms + " "), line);
    assertTrue(line.endsWith("(using default " + defaultText + ")"), line);
    assertEquals(DEFAULTS_LINE, options.describe());
  }

  @ParameterizedTest(name = "metrics={0}: MBean {1}, app metrics {2}")
  @CsvSource({
      "auto, true, true",
      "jmx, true, false",
      "JMX, true, false",
      "none, false, false",
      "None, false, false",
  })
  void metricsSaysWhereTheCountersGo(String value, boolean mbean, boolean app) {
    Options options = load("metrics=" + value);
    assertEquals(mbean, options.registersMBean());
    assertEquals(app, options.bindsAppMetrics());
    assertEquals(0, problems.size(), problems.toString());
  }

  @Test
  void metricsDefaultsToAuto() {
    assertTrue(Options.defaults().registersMBean());
    assertTrue(Options.defaults().bindsAppMetrics());
  }

  @Test
  void badDurationLineIsExactlyTheContractsExample() {
    load("validateIdleAfter=2 sec");
    assertEquals(Collections.singletonList("connguard: validateIdleAfter=\"2 sec\" is not valid; use 250ms, 2s,"
        + " 5m, 1h, a number of ms, off, or auto (using default 2s)"), problems);
  }

  @Test
  void badRegexLineHasTheFirstLineOfTheSyntaxError() {
    Options options = load("idempotentSql=(?<name>x");
    assertSame(IdempotentSql.NONE, options.idempotentSql());
    assertEquals(1, problems.size(), problems.toString());
    String line = problems.get(0);
    assertTrue(line.startsWith("connguard: idempotentSql=\"(?<name>x\" is not valid ("), line);
    assertTrue(line.endsWith("; use a Java regular expression (using default none)"), line);
    assertFalse(line.contains("\n") || line.contains("\r") || line.contains("^"), line);
  }

  @Test
  void badValueIsReportedUnderTheCanonicalName() {
    load("MAXRETRIES=11");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("connguard: maxRetries=\"11\" is not valid"), problems.get(0));
  }

  @Test
  void valueWithALineBreakStaysOneLine() {
    env.put("CONNGUARD_LOGLEVEL", "info\nconnguard: forged line");
    load(null);
    assertEquals(1, problems.size(), problems.toString());
    assertFalse(problems.get(0).contains("\n"), problems.get(0));
  }

  // ---- unknown options: named, never their value ----

  @Test
  void unknownEnvironmentVariableIsIgnoredQuietly() {
    // CONNGUARD_* also serves scripts and test harnesses (CONNGUARD_REQUIRE_DBS): not our typo.
    env.put("CONNGUARD_REQUIRE_DBS", "1");
    env.put("CONNGUARD_PASSWORD", "hunter2");
    Options options = load(null);
    assertEquals(0, problems.size(), problems.toString());
    assertFalse(options.describe().contains("hunter2"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"args", "system property", "file"})
  void unknownOptionIsNamedButItsValueNeverShown(String source) throws IOException {
    String agentArgs = null;
    String name;
    if (source.equals("args")) {
      name = "password";
      agentArgs = "password=hunter2";
    } else if (source.equals("system property")) {
      name = "connguard.password";
      systemProperties.setProperty(name, "hunter2");
    } else {
      name = "password";
      agentArgs = "config=" + write("c.properties", "password=hunter2\n");
    }
    Options options = load(agentArgs);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals("connguard: unknown option \"" + name + "\" ignored; known options: enabled, maxRetries,"
        + " validateIdleAfter, validationTimeout, maxAge, readServerTimeouts, trustDeclaredVolatility, idempotentSql, retryWindow,"
        + " transactionReplay, transactionReplayMaxStatements, transactionReplayMaxBytes, resolveCommitOutcome,"
        + " resolveCommitOutcomeTable, logLevel,"
        + " dryRun, statsInterval, logFile, logging, metrics, config", problems.get(0));
    assertFalse(problems.get(0).contains("hunter2"));
    assertFalse(options.describe().contains("hunter2"));
  }

  @Test
  void malformedAgentArgIsOneLineAndTheOthersStillApply() {
    Options options = load("debug,maxRetries=3");
    assertEquals(3, options.maxRetries());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("connguard: agent argument \"debug\" ignored"), problems.get(0));
  }

  // ---- agent args with commas in values ----

  @Test
  void regexWithCommasSurvivesAgentArgs() {
    Options options = load("idempotentSql=^insert into t(a{1,3}),maxRetries=3, logLevel=debug");
    assertEquals("^insert into t(a{1,3})", options.idempotentSql().toString());
    assertTrue(options.idempotentSql().matches("insert into taaa"));
    assertEquals(3, options.maxRetries());
    assertEquals("debug", options.logLevel());
    assertEquals(0, problems.size(), problems.toString());
  }

  // ---- spelling ----

  @Test
  void keysMatchInAnyLetterCase() {
    systemProperties.setProperty("connguard.MaxRetries", "4");
    Options options = load("LOGLEVEL=warn");
    assertEquals(4, options.maxRetries());
    assertEquals("warn", options.logLevel());
    assertEquals(0, problems.size(), problems.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"maxRetries=4,maxretries=9", "maxretries=9,maxRetries=4"})
  void canonicalSpellingWinsOverAVariantInTheSameSource(String agentArgs) {
    assertEquals(4, load(agentArgs).maxRetries());
  }

  @Test
  void emptyIdempotentSqlOverridesALowerSourceWithNone() {
    env.put("CONNGUARD_IDEMPOTENTSQL", "^insert");
    assertSame(IdempotentSql.NONE, load("idempotentSql=").idempotentSql());
    assertEquals(0, problems.size(), problems.toString());
  }

  // ---- config file problems ----

  @Test
  void missingConfigFileIsOneLineAndTheOtherSourcesStillApply() {
    Path missing = dir.resolve("missing.properties");
    systemProperties.setProperty("connguard.config", missing.toString());
    env.put("CONNGUARD_LOGLEVEL", "debug");
    Options options = load("maxRetries=3");
    assertEquals(3, options.maxRetries());
    assertEquals("debug", options.logLevel());
    assertEquals(Collections.singletonList("connguard: config file \"" + missing + "\" not read (not found);"
        + " using the other sources"), problems);
  }

  @Test
  void configFileOverOneMebibyteIsOneLineAndTheOtherSourcesStillApply() throws IOException {
    StringBuilder text = new StringBuilder("maxRetries=9\n");
    while (text.length() <= ConfigFile.MAX_BYTES) {
      text.append("# padding padding padding padding padding padding padding padding padding padding\n");
    }
    Path big = write("big.properties", text.toString());
    env.put("CONNGUARD_CONFIG", big.toString());
    Options options = load("logLevel=debug");
    assertEquals(2, options.maxRetries(), "the file's value is not used");
    assertEquals("debug", options.logLevel());
    assertEquals(Collections.singletonList("connguard: config file \"" + big + "\" not read (larger than 1 MiB);"
        + " using the other sources"), problems);
  }

  @Test
  void badValueInTheFileIsReportedLikeAnyOther() throws IOException {
    Path file = write("c.properties", "connguard.retryWindow=off\n");
    assertEquals(TimeUnit.SECONDS.toNanos(15), load("config=" + file).retryWindowNanos());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("connguard: retryWindow=\"off\" is not valid"), problems.get(0));
  }

  // ---- never throws ----

  @Test
  void aFailingSourceCostsTheSettingsNotTheApp() {
    Map<String, String> brokenEnv = new HashMap<String, String>() {
      @Override
      public java.util.Set<String> keySet() {
        throw new IllegalStateException("broken env");
      }
    };
    Options options = Options.load("maxRetries=3", systemProperties, brokenEnv, problems);
    assertEquals(DEFAULTS_LINE, options.describe());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("connguard: could not read options ("), problems.get(0));
  }

  // ---- usage ----

  @Test
  void usageListsEveryOptionWithDefaultFormsAndMeaning() {
    String usage = Options.usage();
    for (Option<?> option : Option.ALL) {
      String row = rowOf(usage, option.key);
      assertTrue(row.contains(" " + option.defaultText() + " "), row);
      assertTrue(row.contains(option.kind.forms), row);
      assertTrue(row.endsWith(option.meaning), row);
    }
    assertTrue(usage.contains(Sources.PRECEDENCE));
  }

  private static String rowOf(String usage, String key) {
    for (String line : usage.split("\n")) {
      if (line.startsWith(key + " ")) {
        return line;
      }
    }
    throw new AssertionError("no row for " + key + " in\n" + usage);
  }

  private Options load(String agentArgs) {
    return Options.load(agentArgs, systemProperties, env, problems);
  }

  private Path write(String name, String text) throws IOException {
    return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
  }
}
