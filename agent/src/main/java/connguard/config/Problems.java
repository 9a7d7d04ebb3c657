package connguard.config;

/**
 * The wording of every problem line. One line each, starting "connguard: ", so a user can grep
 * the log; a value is quoted with its control characters escaped, so one line stays one line.
 */
final class Problems {
  // Long enough for any sane value; a pasted 10 kB regex should not flood the startup log.
  private static final int MAX_QUOTED_CHARS = 200;

  private Problems() {}

  /** connguard: validateIdleAfter="2 sec" is not valid; use 250ms, ... or off (using default 2s) */
  static String badValue(Option<?> option, String value, String reason) {
    return "connguard: " + option.key + "=" + quote(value) + " is not valid"
        + (reason == null ? "" : " (" + reason + ")")
        + "; use " + option.kind.forms + " (using default " + option.defaultText() + ")";
  }

  /** Names the option as written but never its value: it may be a password in the wrong place. */
  static String unknownOption(String name) {
    return "connguard: unknown option " + quote(name) + " ignored; known options: " + Option.names();
  }

  static String notKeyValue(String token) {
    return "connguard: agent argument " + quote(token) + " ignored; use key=value pairs separated by commas,"
        + " e.g. -javaagent:connguard.jar=maxRetries=2,logLevel=debug";
  }

  static String configFileNotRead(String path, String reason) {
    return "connguard: config file " + quote(path) + " not read (" + reason + "); using the other sources";
  }

  static String unexpected(Throwable failure) {
    return "connguard: could not read options (" + failure + "); using defaults";
  }

  /**
   * "text" with control characters escaped, cut at 200 characters. Backslashes stay as they are:
   * a regex like ^\s*insert must read the same in the log as in the user's config.
   */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    int end = Math.min(text.length(), MAX_QUOTED_CHARS);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        quoted.append("\\n");
      } else if (c == '\r') {
        quoted.append("\\r");
      } else if (c == '\t') {
        quoted.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    if (end < text.length()) {
      quoted.append("...");
    }
    return quoted.append('"').toString();
  }
}
