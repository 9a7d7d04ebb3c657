package connguard.config;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Where option text comes from and which source wins. Returns raw text per option; whether the
 * text is valid is {@link Options}'s question, so a bad value in a source that lost is not
 * reported, and a bad value that won falls back to the default, not to a lower source.
 */
final class Sources {
  static final String PRECEDENCE = "agent args > system properties > environment > config file > defaults";

  private Sources() {}

  /** Raw text of every option some source set, by the precedence above. Unknown names give a problem line. */
  static Map<Option<?>, String> read(String agentArgs, Properties systemProperties, Map<String, String> env,
      List<String> problems) {
    Map<Option<?>, String> fromArgs =
        byOption(AgentArgs.parse(agentArgs, problems), KeyNaming.PLAIN_OR_PREFIXED, problems);
    Map<Option<?>, String> fromSystem =
        byOption(sorted(systemProperties), KeyNaming.SYSTEM_PROPERTY, problems);
    // CONNGUARD_* variables also serve scripts and test harnesses (CONNGUARD_REQUIRE_DBS): an
    // unknown one is not a typo in our options, so the environment reports none.
    Map<Option<?>, String> fromEnv = byOption(sorted(env), KeyNaming.ENVIRONMENT, null);

    String configPath = configPath(fromArgs, fromSystem, fromEnv);
    Map<Option<?>, String> fromFile = new HashMap<>();
    if (configPath != null) {
      // One level only: a config= inside the file is never read, since the path that led here
      // comes from a higher source and wins the merge below.
      fromFile = byOption(ConfigFile.read(configPath, problems), KeyNaming.PLAIN_OR_PREFIXED, problems);
    }

    Map<Option<?>, String> merged = new HashMap<>();
    merged.putAll(fromFile);     // lowest first: each later source overwrites
    merged.putAll(fromEnv);
    merged.putAll(fromSystem);
    merged.putAll(fromArgs);
    return merged;
  }

  /** Later entries win, except that a canonical spelling beats a variant whatever the order. Null problems: unknown names are ignored. */
  private static Map<Option<?>, String> byOption(List<Map.Entry<String, String>> entries, KeyNaming naming,
      List<String> problems) {
    Map<Option<?>, String> values = new HashMap<>();
    Map<Option<?>, Boolean> canonical = new HashMap<>();
    for (Map.Entry<String, String> entry : entries) {
      String name = entry.getKey();
      if (!naming.isOurs(name)) {
        continue;
      }
      Option<?> option = naming.optionFor(name);
      if (option == null) {
        if (problems != null) {
          problems.add(Problems.unknownOption(name));
        }
        continue;
      }
      boolean isCanonical = naming.isCanonical(name, option);
      if (isCanonical || !Boolean.TRUE.equals(canonical.get(option))) {
        values.put(option, entry.getValue());
        canonical.put(option, isCanonical);
      }
    }
    return values;
  }

  /** The file's own path follows the same precedence, minus the file. Null for none. */
  private static String configPath(Map<Option<?>, String> fromArgs, Map<Option<?>, String> fromSystem,
      Map<Option<?>, String> fromEnv) {
    String raw = fromArgs.containsKey(Option.CONFIG) ? fromArgs.get(Option.CONFIG)
        : fromSystem.containsKey(Option.CONFIG) ? fromSystem.get(Option.CONFIG)
        : fromEnv.get(Option.CONFIG);
    return raw == null ? null : Option.CONFIG.kind.parse(raw);
  }

  /** Sorted by name so problem lines come in a stable order. */
  private static List<Map.Entry<String, String>> sorted(Properties properties) {
    if (properties == null) {
      return Collections.emptyList();
    }
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    // stringPropertyNames() is a snapshot: another thread may set system properties meanwhile.
    for (String name : new TreeSet<>(properties.stringPropertyNames())) {
      String value = properties.getProperty(name);
      if (value != null) {
        entries.add(new SimpleImmutableEntry<>(name, value));
      }
    }
    return entries;
  }

  private static List<Map.Entry<String, String>> sorted(Map<String, String> env) {
    if (env == null) {
      return Collections.emptyList();
    }
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      String value = env.get(name);
      if (value != null) {
        entries.add(new SimpleImmutableEntry<>(name, value));
      }
    }
    return entries;
  }
}
