package connguard.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/** One type of option value: the forms it accepts, how text becomes a value, how a value prints. */
final class ValueKind<T> {
  private static final List<String> BYTE_UNITS = Arrays.asList("", "k", "kb", "kib", "m", "mb", "mib");
  private static final List<String> BOOLEAN_WORDS =   // even index: true, odd index: false
      Arrays.asList("true", "false", "yes", "no", "on", "off", "1", "0");
  private static final List<String> LOG_LEVELS = Arrays.asList("error", "warn", "info", "debug");
  private static final int MAX_RETRIES = 10;

  // Which parser and printer: a switch, not Function fields with method references, because
  // this class loads in premain of every JVM and each method reference spins up a class there
  // (16 of them cost ~14 ms of a hello world's start).
  private static final int BOOL = 0;
  private static final int RETRIES = 1;
  private static final int DURATION = 2;
  private static final int DURATION_OR_AUTO = 3;
  private static final int POSITIVE = 4;
  private static final int REGEX_FORM = 5;
  private static final int LEVEL = 6;
  private static final int FILE_PATH = 7;
  private static final int COUNT = 8;
  private static final int BYTE_SIZE = 9;
  private static final int TRISTATE = 10;
  private static final int TABLE = 11;
  private static final int WORD = 12;

  static final ValueKind<Boolean> BOOLEAN = new ValueKind<>(oneOf(BOOLEAN_WORDS), BOOL, false);
  static final ValueKind<Integer> RETRY_COUNT =
      new ValueKind<>("a whole number from 0 to " + MAX_RETRIES, RETRIES, false);
  static final ValueKind<Long> DURATION_OR_OFF = new ValueKind<>(Durations.FORMS, DURATION, false);
  static final ValueKind<Long> DURATION_OFF_OR_AUTO = new ValueKind<>(Durations.FORMS_OR_AUTO, DURATION_OR_AUTO, false);
  static final ValueKind<Long> POSITIVE_DURATION = new ValueKind<>(Durations.POSITIVE_FORMS, POSITIVE, false);
  static final ValueKind<IdempotentSql> REGEX = new ValueKind<>("a Java regular expression", REGEX_FORM, true);
  static final ValueKind<Integer> POSITIVE_COUNT =
      new ValueKind<>("a whole number from 1 to " + Integer.MAX_VALUE, COUNT, false);
  static final ValueKind<Long> BYTES =
      new ValueKind<>("a number of bytes, or with KiB, MiB (e.g. 512KiB, 1MiB)", BYTE_SIZE, false);
  static final ValueKind<String> AUTO_ON_OFF = new ValueKind<>("auto, on or off", TRISTATE, false);
  static final ValueKind<String> TABLE_NAME =
      new ValueKind<>("a table name ([schema.]name: letters, digits, _ and $)", TABLE, false);
  static final ValueKind<String> LOG_LEVEL = new ValueKind<>(oneOf(LOG_LEVELS), LEVEL, false);
  static final ValueKind<String> PATH = new ValueKind<>("a file path", FILE_PATH, false);
  static final ValueKind<String> LOGGING_TARGET = words("agent", "app");
  static final ValueKind<String> METRICS_TARGET = words("auto", "jmx", "none");

  /** The accepted forms, as problem lines and the usage table quote them. */
  final String forms;
  private final int form;
  private final boolean explainsRefusal;
  /** WORD: the words accepted, lower case; null otherwise. */
  private final List<String> words;

  private ValueKind(String forms, int form, boolean explainsRefusal) {
    this(forms, form, explainsRefusal, null);
  }

  private ValueKind(String forms, int form, boolean explainsRefusal, List<String> words) {
    this.forms = forms;
    this.form = form;
    this.explainsRefusal = explainsRefusal;
    this.words = words;
  }

  /** One of these words, in any letter case. */
  private static ValueKind<String> words(String... accepted) {
    List<String> list = Arrays.asList(accepted);
    return new ValueKind<>(oneOf(list), WORD, false, list);
  }

  /** @throws IllegalArgumentException if text is not one of {@link #forms} */
  @SuppressWarnings("unchecked")
  T parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException();
    }
    switch (form) {
      case BOOL: return (T) parseBoolean(text);
      case RETRIES: return (T) parseRetryCount(text);
      case DURATION: return (T) Long.valueOf(Durations.parseNanos(text));
      case DURATION_OR_AUTO: return (T) parseNanosOrAuto(text);
      case POSITIVE: return (T) parsePositiveNanos(text);
      case REGEX_FORM: return (T) parseRegex(text);
      case LEVEL: return (T) parseLogLevel(text);
      case COUNT: return (T) parsePositiveCount(text);
      case BYTE_SIZE: return (T) parseBytes(text);
      case TRISTATE: return (T) parseAutoOnOff(text);
      case TABLE: return (T) parseTableName(text);
      case WORD: return (T) parseWord(text);
      default: return (T) parsePath(text);
    }
  }

  String print(T value) {
    switch (form) {
      case DURATION:
      case DURATION_OR_AUTO:
      case POSITIVE:
        return Durations.format((Long) value);
      case REGEX_FORM:
        return printRegex((IdempotentSql) value);
      case FILE_PATH:
      case TABLE:
        return printPath((String) value);
      case BYTE_SIZE:
        return printBytes((Long) value);
      default:
        return String.valueOf(value);
    }
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
    if (!isDigits(digits, 3)) {
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
    if (!isDigits(digits, 10)) {
      throw new IllegalArgumentException();
    }
    long count = Long.parseLong(digits);
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException();
    }
    return (int) count;
  }

  /** 1 to 12 digits, optional whitespace, then nothing, k, kb, kib, m, mb or mib (any case). */
  private static Long parseBytes(String text) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    int digits = 0;
    while (digits < lower.length() && lower.charAt(digits) >= '0' && lower.charAt(digits) <= '9') {
      digits++;
    }
    int unitStart = digits;
    while (unitStart < lower.length() && " \t\n\u000B\f\r".indexOf(lower.charAt(unitStart)) >= 0) {
      unitStart++;
    }
    String unitWord = lower.substring(unitStart);
    if (!isDigits(lower.substring(0, digits), 12) || !BYTE_UNITS.contains(unitWord)) {
      throw new IllegalArgumentException();
    }
    long unit = unitWord.isEmpty() ? 1 : unitWord.startsWith("k") ? 1024 : 1024 * 1024;
    long bytes = Long.parseLong(lower.substring(0, digits)) * unit;
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
    int dot = name.indexOf('.');
    if (dot < 0 ? !isIdentifier(name) : !isIdentifier(name.substring(0, dot)) || !isIdentifier(name.substring(dot + 1))) {
      throw new IllegalArgumentException();
    }
    return name;
  }

  // By hand, not with regexes: every default goes through these parsers at each start-up, and
  // java.util.regex would be the JVM's first use of lambdas there (~10 ms). See Durations too.

  /** 1 to {@code max} ASCII digits. */
  private static boolean isDigits(String text, int max) {
    if (text.isEmpty() || text.length() > max) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** [A-Za-z_][A-Za-z0-9_$]{0,63}: a plain SQL identifier. */
  private static boolean isIdentifier(String text) {
    if (text.isEmpty() || text.length() > 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '$')))) {
        return false;
      }
    }
    return true;
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

  private String parseWord(String text) {
    String word = text.trim().toLowerCase(Locale.ROOT);
    if (!words.contains(word)) {
      throw new IllegalArgumentException();
    }
    return word;
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
