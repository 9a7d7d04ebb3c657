package connguard.cli;

import connguard.config.Options;

/** {@code java -jar connguard.jar}: how to attach, and every option with its default. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println(usage());
  }

  static String usage() {
    String version = Main.class.getPackage().getImplementationVersion();
    return "connguard " + (version == null ? "(development build)" : version)
        + ": keeps JDBC connections usable after the database or the network closed them.\n"
        + "\n"
        + "Attach it to any JVM application:\n"
        + "  java -javaagent:connguard.jar[=key=value,key=value] -jar app.jar\n"
        + "  JAVA_TOOL_OPTIONS=-javaagent:/path/to/connguard.jar   (containers, build tools)\n"
        + "\n"
        + Options.usage() + "\n"
        + "Counters: JMX MBean connguard:type=Stats. One log line per recovery on stderr.\n";
  }
}
