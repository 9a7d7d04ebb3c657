package connguard.config;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits the text after {@code -javaagent:connguard.jar=} into name/value pairs.
 *
 * <p>Values may contain commas (a regex like {@code a{1,3}}), so a comma splits only where a name
 * and "=" follow it: {@code idempotentSql=^insert into t(a{1,3}),maxRetries=3} is two options.
 * Limitation: a value that itself contains ",word=" is cut there. The config file has no such
 * limit and is the place for complicated values.
 */
final class AgentArgs {
  // A comma (and any spaces after it) followed by something that looks like an option name and "=".
  private static final Pattern SEPARATOR = Pattern.compile(",\\s*(?=[A-Za-z][A-Za-z0-9_.]*=)");

  private AgentArgs() {}

  /** The pairs in the order given; a token that is not name=value gives one problem line and is skipped. */
  static List<Map.Entry<String, String>> parse(String agentArgs, List<String> problems) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (agentArgs == null || agentArgs.trim().isEmpty()) {
      return pairs;
    }
    for (String token : SEPARATOR.split(agentArgs)) {
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
}
