package connguard.it.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A child JVM running {@link JdbcShell}, with or without {@code -javaagent:connguard.jar}.
 *
 * <pre>{@code
 * try (Shell sh = AppJvm.withAgent("maxRetries=2").sysProp("k", "v").start()) {
 *   sh.ok("connect c1 " + pg.url(app));
 * }
 * }</pre>
 */
public final class AppJvm {
  /** Set by surefire (agent-tests/pom.xml) to agent/target/connguard.jar. */
  static final String AGENT_JAR_PROPERTY = "connguard.jar";

  /**
   * C1 only ({@link #jvmArg}), for children whose tests do not depend on the JIT: start-up, mostly
   * weaving the driver's classes, is most of such a test's time, and C1 shortens it by about a
   * third on a 2-core machine.
   */
  public static final String QUICK_START = "-XX:TieredStopAtLevel=1";

  private final String agentArgs;
  private Path javaHome = ChildJvm.defaultJavaHome();
  private final Map<String, String> sysProps = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private final java.util.Map<String, String> replacedJars = new java.util.LinkedHashMap<>();
  private Duration startTimeout = Duration.ofSeconds(30);

  private AppJvm(String agentArgs) {
    this.agentArgs = agentArgs;
  }

  /** With the agent; {@code args} is the agent option string, "" for none. */
  public static AppJvm withAgent(String args) {
    if (args == null) {
      throw new IllegalArgumentException("agent args must not be null; use \"\" for none");
    }
    // The agent's one short connection per server for reading its timeouts carries the app's
    // URL (and application_name): tests that count or kill the app's connections would race
    // it. Only tests of that feature turn it on (readServerTimeouts=true).
    if (!args.contains("readServerTimeouts")) {
      args = args.isEmpty() ? "readServerTimeouts=false" : "readServerTimeouts=false," + args;
    }
    return new AppJvm(args);
  }

  /** The baseline: the same app without any agent. */
  public static AppJvm withoutAgent() {
    return new AppJvm(null);
  }

  public AppJvm javaHome(Path home) {
    this.javaHome = home;
    return this;
  }

  public AppJvm javaHome(String home) {
    return javaHome(Paths.get(home));
  }

  public AppJvm sysProp(String key, String value) {
    sysProps.put(key, value);
    return this;
  }

  public AppJvm env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Any other JVM option, e.g. {@code -Dconnguard.log=debug} or {@code -Xlog:...}. */
  public AppJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  /** How long the child may take to print READY (agent start-up included). */
  public AppJvm startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Runs the child with {@code replacement} instead of the class path's jar whose name contains
   * {@code namePart}: the same suite against another version of a driver or pool.
   */
  public AppJvm replaceJar(String namePart, String replacement) {
    replacedJars.put(namePart, replacement);
    return this;
  }

  /** Starts the child and waits until it printed READY. */
  public Shell start() {
    return Shell.start(command(), env, startTimeout);
  }

  List<String> command() {
    return command(JdbcShell.class.getName());
  }

  /**
   * Starts the child with another main class (e.g. {@code chaos.ChaosWorkload}) that runs on its own:
   * stdout and stderr go to these files, nothing is read from stdin.
   */
  public Process launch(String mainClass, Path stdout, Path stderr) {
    return ChildJvm.launch(command(mainClass), env, stdout, stderr);
  }

  /**
   * Starts the child from an app's own jar ({@code java -jar}, e.g. a Spring Boot jar with its
   * nested libraries) instead of this module's class path; otherwise as {@link #launch}.
   */
  public Process launchJar(Path jar, Path stdout, Path stderr) {
    List<String> command = jvmCommand();
    command.add("-jar");
    command.add(jar.toString());
    return ChildJvm.launch(command, env, stdout, stderr);
  }

  List<String> command(String mainClass) {
    List<String> command = jvmCommand();
    command.add("-cp");
    String classPath = ChildJvm.classPath();
    for (java.util.Map.Entry<String, String> jar : replacedJars.entrySet()) {
      classPath = classPath.replace(ChildJvm.jarOnClassPath(jar.getKey()), jar.getValue());
    }
    command.add(classPath);
    command.add(mainClass);
    return command;
  }

  /** java, its options, the agent and the system properties: everything before the class path. */
  private List<String> jvmCommand() {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.javaExecutable(javaHome).toString());
    command.addAll(ChildJvm.LIGHT_JVM_ARGS);
    if (agentArgs != null) {
      Path jar = agentJar();
      command.add("-javaagent:" + jar + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    }
    sysProps.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(jvmArgs);
    return command;
  }

  public static Path agentJar() {
    String property = System.getProperty(AGENT_JAR_PROPERTY);
    if (property == null || property.isBlank()) {
      fail("system property " + AGENT_JAR_PROPERTY + " is not set: run the agent tests through"
          + " Maven (agent-tests/pom.xml sets it), after `make build`");
    }
    Path jar = Paths.get(property).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      fail("agent jar " + jar + " does not exist: run `make build` first");
    }
    return jar;
  }
}
