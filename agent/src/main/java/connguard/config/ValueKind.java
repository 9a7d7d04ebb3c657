package connguard.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;

/** One type of option value: the forms it accepts, how text becomes a value, how a value prints. */
final class ValueKind<T> {
  private static final List<String> BOOLEAN_WORDS =   // even index: true, odd index: false
      Arrays.asList("true", "false", "yes", "no", "on", "off", "1", "0");
  private static final List<String> LOG_LEVELS = Arrays.asList("error", "warn", "info", "debug");
  private static final int MAX_RETRIES = 10;

  static final ValueKind<Boolean> BOOLEAN =
      new ValueKind<>(oneOf(BOOLEAN_WORDS), ValueKind::parseBoolean, String::valueOf, false);
  static final ValueKind<Integer> RETRY_COUNT =
      new ValueKind<>("a whole number from 0 to " + MAX_RETRIES, ValueKind::parseRetryCount, String::valueOf, false);
  static final ValueKind<Long> DURATION_OR_OFF =
      new ValueKind<>(Durations.FORMS, Durations::parseNanos, Durations::format, false);
  static final ValueKind<Long> DURATION_OFF_OR_AUTO =
      new ValueKind<>(Durations.FORMS_OR_AUTO, ValueKind::parseNanosOrAuto, Durations::format, false);
  static final ValueKind<Long> POSITIVE_DURATION =
      new ValueKind<>(Durations.POSITIVE_FORMS, ValueKind::parsePositiveNanos, Durations::format, false);
  static final ValueKind<IdempotentSql> REGEX =
      new ValueKind<>("a Java regular expression", ValueKind::parseRegex, ValueKind::printRegex, true);
  static final ValueKind<Integer> POSITIVE_COUNT =
      new ValueKind<>("a whole number from 1 to " + Integer.MAX_VALUE, ValueKind::parsePositiveCount, String::valueOf, false);
  static final ValueKind<Long> BYTES =
      new ValueKind<>("a number of bytes, or with KiB, MiB (e.g. 512KiB, 1MiB)", ValueKind::parseBytes,
          ValueKind::printBytes, false);
  static final ValueKind<String> AUTO_ON_OFF =
      new ValueKind<>("auto, on or off", ValueKind::parseAutoOnOff, String::valueOf, false);
  static final ValueKind<String> TABLE_NAME =
      new ValueKind<>("a table name ([schema.]name: letters, digits, _ and $)", ValueKind::parseTableName,
          ValueKind::printPath, false);
  static final ValueKind<String> LOG_LEVEL =
      new ValueKind<>(oneOf(LOG_LEVELS), ValueKind::parseLogLevel, String::valueOf, false);
  static final ValueKind<String> PATH =
      new ValueKind<>("a file path", ValueKind::parsePath, ValueKind::printPath, false);

  /** The accepted forms, as problem lines and the usage table quote them. */
  final String forms;
  private final Function<String, T> parser;   // IllegalArgumentException for text it refuses
  private final Function<T, String> printer;
  private final boolean explainsRefusal;

  private ValueKind(String forms, Function<String, T> parser, Function<T, String> printer, boolean explainsRefusal) {
    this.forms = forms;
    this.parser = parser;
    this.printer = printer;
    this.explainsRefusal = explainsRefusal;
  }

  /** @throws IllegalArgumentException if text is not one of {@link #forms} */
  T parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException();
    }
    return parser.apply(text);
  }

  String print(T value) {
    return printer.apply(value);
  }

  /** What to add to "is not valid", or null when the forms say it all (they do, except for a regex). */
  String reasonFor(IllegalArgumentException refusal) {
    return explainsRefusal ? refusal.getMessage() : null;
  }

  private static Boolean parseBoolean(String text) {
    int index = BOOLEAN_WORDS.indexOf(text.trim().toLowerCase(Locale.ROOT));
    if (index < 0) {
      throw new IllegalArgumentException();
    }
    return index % 2 == 0;
  }

  private static Integer parseRetryCount(String text) {
    String digits = text.trim();
    // Length first: "99999999999" would overflow parseInt, and it is out of range anyway.
    if (!digits.matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException();
    }
    int count = Integer.parseInt(digits);
    if (count > MAX_RETRIES) {
      throw new IllegalArgumentException();
    }
    return count;
  }

  private static Integer parsePositiveCount(String text) {
    String digits = text.trim();
    if (!digits.matches("[0-9]{1,10}")) {
      throw new IllegalArgumentException();
    }
    long count = Long.parseLong(digits);
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException();
    }
    return (int) count;
  }

  private static Long parseBytes(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,12})\\s*(|k|kb|kib|m|mb|mib)")
        .matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException();
    }
    long unit = m.group(2).isEmpty() ? 1 : m.group(2).startsWith("k") ? 1024 : 1024 * 1024;
    long bytes = Long.parseLong(m.group(1)) * unit;
    if (bytes < 1) {
      throw new IllegalArgumentException();
    }
    return bytes;
  }

  private static String printBytes(Long bytes) {
    long b = bytes;
    if (b % (1024 * 1024) == 0) {
      return (b / (1024 * 1024)) + "MiB";
    }
    return b % 1024 == 0 ? (b / 1024) + "KiB" : String.valueOf(b);
  }

  /** Null for none. Only plain identifiers: the name is pasted into SQL the agent runs. */
  private static String parseTableName(String text) {
    String name = text.trim();
    if (name.isEmpty()) {
      return null;
    }
    if (!name.matches("[A-Za-z_][A-Za-z0-9_$]{0,63}(\\.[A-Za-z_][A-Za-z0-9_$]{0,63})?")) {
      throw new IllegalArgumentException();
    }
    return name;
  }

  private static String parseAutoOnOff(String text) {
    String word = text.trim().toLowerCase(Locale.ROOT);
    if (word.equals("auto")) {
      return "auto";
    }
    int index = BOOLEAN_WORDS.indexOf(word);
    if (index < 0) {
      throw new IllegalArgumentException();
    }
    return index % 2 == 0 ? "on" : "off";
  }

  private static Long parseNanosOrAuto(String text) {
    return text.trim().equalsIgnoreCase("auto") ? Durations.AUTO : Durations.parseNanos(text);
  }

  private static Long parsePositiveNanos(String text) {
    long nanos = Durations.parseNanos(text);
    // A time budget of zero or "off" would either never try or never stop; both are mistakes.
    if (nanos <= 0 || nanos == Durations.OFF) {
      throw new IllegalArgumentException();
    }
    return nanos;
  }

  private static IdempotentSql parseRegex(String text) {
    // Empty means none, not the empty regex: that one matches every statement and would mark
    // every write as safe to run twice. Not trimmed: a space in a regex is part of it.
    if (text.isEmpty()) {
      return IdempotentSql.NONE;
    }
    try {
      return IdempotentSql.compile(text);
    } catch (PatternSyntaxException refused) {
      // getMessage() adds the regex and a caret line; the description alone fits one line.
      throw new IllegalArgumentException(firstLine(refused.getDescription()), refused);
    }
  }

  private static String printRegex(IdempotentSql sql) {
    return sql == IdempotentSql.NONE ? "none" : Problems.quote(sql.toString());
  }

  private static String parseLogLevel(String text) {
    String level = text.trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException();
    }
    return level;
  }

  /** The path as given, or null for "none" (empty). Whether it can be read is ConfigFile's question. */
  private static String parsePath(String text) {
    String path = text.trim();
    return path.isEmpty() ? null : path;
  }

  private static String printPath(String path) {
    return path == null ? "none" : Problems.quote(path);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "does not compile";
    }
    return text.split("\\R", 2)[0].trim();
  }

  /** "a, b, c or d" */
  private static String oneOf(List<String> words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      if (i > 0) {
        text.append(i == words.size() - 1 ? " or " : ", ");
      }
      text.append(words.get(i));
    }
    return text.toString();
  }
}
