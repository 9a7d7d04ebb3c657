package connguard.cli;

import connguard.config.Options;
import java.io.File;
import java.util.Arrays;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code java -jar connguard.jar}: usage, {@code attach <pid> [options]} to install the agent
 * into a JVM that is already running, and {@code doctor <jdbc-url> ...} to read a database's
 * timeouts and recommend settings ({@link Doctor}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length >= 1 && args[0].equals("doctor")) {
      System.exit(Doctor.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    if (args.length >= 2 && args[0].equals("attach")) {
      System.exit(attach(args[1], args.length > 2 ? args[2] : ""));
    }
    System.out.println(usage());
    System.exit(args.length == 0 || args[0].equals("help") || args[0].equals("--help") ? 0 : 2);
  }

  static int attach(String pid, String options) {
    if (!pid.matches("[0-9]+")) {
      System.err.println("connguard: attach needs a process id (a number), got \"" + pid + "\"");
      return 2;
    }
    try {
      File jar = new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      ByteBuddyAgent.attach(jar, pid, options);
      System.out.println("connguard: attached to " + pid + "; its log says what was woven");
      return 0;
    } catch (Throwable t) {
      System.err.println("connguard: could not attach to " + pid + ": " + t.getMessage()
          + " (the target must be a JVM of the same user; attaching needs a JDK, not a JRE)");
      return 1;
    }
  }

  static String usage() {
    String version = Main.class.getPackage().getImplementationVersion();
    return "connguard " + (version == null ? "(development build)" : version)
        + ": keeps JDBC connections usable after the database or the network closed them.\n"
        + "\n"
        + "Attach it to any JVM application:\n"
        + "  java -javaagent:connguard.jar[=key=value,key=value] -jar app.jar\n"
        + "  JAVA_TOOL_OPTIONS=-javaagent:/path/to/connguard.jar   (containers, build tools)\n"
        + "  java -jar connguard.jar attach <pid> [key=value,key=value]   (a JVM already running)\n"
        + "\n"
        + "Check a database's timeouts and get settings that fit them:\n"
        + "  java -cp connguard.jar:<driver.jar> connguard.cli.Main doctor <jdbc-url> [user] [password-env-var]\n"
        + "  java -jar connguard.jar doctor --driver-path <driver.jar> <jdbc-url> [user] [password-env-var]\n"
        + "\n"
        + Options.usage() + "\n"
        + "Counters: JMX MBean connguard:type=Stats. One log line per recovery on stderr.\n";
  }
}
