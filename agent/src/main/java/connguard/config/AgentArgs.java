package connguard.config;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits the text after {@code -javaagent:connguard.jar=} into name/value pairs.
 *
 * <p>Values may contain commas (a regex like {@code a{1,3}}), so a comma splits only where a name
 * and "=" follow it: {@code idempotentSql=^insert into t(a{1,3}),maxRetries=3} is two options.
 * Limitation: a value that itself contains ",word=" is cut there. The config file has no such
 * limit and is the place for complicated values.
 */
final class AgentArgs {

  private AgentArgs() {}

  /** The pairs in the order given; a token that is not name=value gives one problem line and is skipped. */
  static List<Map.Entry<String, String>> parse(String agentArgs, List<String> problems) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (agentArgs == null || agentArgs.trim().isEmpty()) {
      return pairs;
    }
    for (String token : split(agentArgs)) {
      int equals = token.indexOf('=');
      if (equals < 0) {
        // Only the first token can get here: later ones start at a name= by construction.
        if (!token.trim().isEmpty()) {
          problems.add(Problems.notKeyValue(token.trim()));
        }
        continue;
      }
      pairs.add(new SimpleImmutableEntry<>(token.substring(0, equals).trim(), token.substring(equals + 1)));
    }
    return pairs;
  }

  /**
   * Cut at each comma (and any whitespace after it) followed by something that looks like an
   * option name and "=": a value may hold commas ({@code idempotentSql=a,b}). By hand, not a
   * regex: premain runs on every start of the app.
   */
  static List<String> split(String agentArgs) {
    List<String> tokens = new ArrayList<>();
    int start = 0;
    for (int comma = agentArgs.indexOf(','); comma >= 0; comma = agentArgs.indexOf(',', comma + 1)) {
      int next = comma + 1;
      while (next < agentArgs.length() && " \t\n\u000B\f\r".indexOf(agentArgs.charAt(next)) >= 0) {
        next++;
      }
      if (startsWithName(agentArgs, next)) {
        tokens.add(agentArgs.substring(start, comma));
        start = next;
      }
    }
    tokens.add(agentArgs.substring(start));
    return tokens;
  }

  /** [A-Za-z][A-Za-z0-9_.]*= at {@code at}. */
  private static boolean startsWithName(String text, int at) {
    if (at >= text.length() || !isAsciiLetter(text.charAt(at))) {
      return false;
    }
    for (int i = at + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '=') {
        return true;
      }
      if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.')) {
        return false;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
