package connguard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One way of starting the measured JVM: a name and the JVM options that make it (maybe none). */
final class Arm {
  final String name;
  final List<String> jvmArgs;

  Arm(String name, List<String> jvmArgs) {
    this.name = name;
    this.jvmArgs = jvmArgs;
  }

  /** "connguard=-javaagent:agent/target/connguard.jar", "none=": options split on blanks. */
  static Arm parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("an arm is NAME=JVM_OPTIONS (options may be empty), not " + spec);
    }
    List<String> args = new ArrayList<>();
    for (String arg : spec.substring(eq + 1).trim().split("\\s+")) {
      if (!arg.isEmpty()) {
        args.add(arg);
      }
    }
    return new Arm(spec.substring(0, eq), args);
  }

  /** The arms in a different order each round, so slow drift of the machine hits every arm alike. */
  static List<Arm> rotated(List<Arm> arms, int round) {
    List<Arm> order = new ArrayList<>(arms);
    Collections.rotate(order, -(round % arms.size()));
    return order;
  }

  @Override public String toString() {
    return name + (jvmArgs.isEmpty() ? " (no options)" : " " + String.join(" ", jvmArgs));
  }

  static List<Arm> parseAll(String... specs) {
    List<Arm> arms = new ArrayList<>();
    for (String spec : specs) {
      arms.add(parse(spec));
    }
    return arms;
  }
}
