package connguard.it.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * How a child JVM is launched: which java, which class path, and that no child outlives the
 * test JVM.
 */
public final class ChildJvm {
  /** CI reruns the suite on another JDK by pointing this at its home. */
  static final String JAVA_HOME_ENV = "CONNGUARD_TEST_JAVA_HOME";

  /** Keeps children light; several run at once on a small CI machine. */
  public static final List<String> LIGHT_JVM_ARGS = List.of("-Xmx256m", "-XX:+UseSerialGC");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile String classPath;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process p : LIVE) {
        p.destroyForcibly();
      }
    }, "connguard-it-reaper"));
  }

  private ChildJvm() {}

  /** {@value #JAVA_HOME_ENV} if set, else the java.home of the test JVM. */
  public static Path defaultJavaHome() {
    String fromEnv = System.getenv(JAVA_HOME_ENV);
    return Paths.get(fromEnv != null && !fromEnv.isBlank() ? fromEnv : System.getProperty("java.home"));
  }

  public static Path javaExecutable(Path javaHome) {
    Path java = javaHome.resolve("bin").resolve("java");
    if (!Files.isExecutable(java)) {
      fail("no java executable at " + java + " (java home " + javaHome + "; "
          + JAVA_HOME_ENV + "=" + System.getenv(JAVA_HOME_ENV) + ")");
    }
    return java;
  }

  /** Starts the command with pipes on all three streams; the child dies with the test JVM. */
  public static Process launch(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      return process;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + String.join(" ", command), e);
    }
  }

  /** Starts the command with stdout and stderr into files; the child dies with the test JVM. */
  public static Process launch(List<String> command, Map<String, String> env, Path stdout, Path stderr) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      return process;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + String.join(" ", command), e);
    }
  }

  /** The jar on the test class path whose file name contains {@code namePart}, e.g. "postgresql-". */
  public static String jarOnClassPath(String namePart) {
    for (String entry : classPath().split(File.pathSeparator)) {
      if (Paths.get(entry).getFileName().toString().contains(namePart) && entry.endsWith(".jar")) {
        return entry;
      }
    }
    throw new AssertionError("no " + namePart + " jar on the test class path: " + classPath());
  }

  /**
   * The test class path minus anything holding connguard's own classes: the agent must come
   * only from the {@code -javaagent} jar, never from a stale copy on the class path (the
   * {@code provided} dependency that orders the build, or agent/target/classes).
   */
  public static String classPath() {
    String cached = classPath;
    if (cached == null) {
      cached = computeClassPath();
      classPath = cached;
    }
    return cached;
  }

  private static String computeClassPath() {
    String raw = System.getProperty("surefire.test.class.path");
    if (raw == null || raw.isBlank()) {
      raw = System.getProperty("java.class.path");
    }
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : raw.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        addExpanded(Paths.get(entry).toAbsolutePath().normalize(), entries);
      }
    }
    List<String> kept = new ArrayList<>();
    boolean hasShell = false;
    for (Path entry : entries) {
      if (Files.exists(entry) && !holds(entry, "connguard/boot/Premain.class")) {
        kept.add(entry.toString());
        hasShell |= holds(entry, JdbcShell.class.getName().replace('.', '/') + ".class");
      }
    }
    if (!hasShell) {
      fail("cannot find the harness classes for the child JVM on the test class path: " + raw);
    }
    return String.join(File.pathSeparator, kept);
  }

  /** Surefire may hand us a manifest-only booter jar; the real entries are in its Class-Path. */
  private static void addExpanded(Path entry, Set<Path> into) {
    if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      into.add(entry);
      return;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Manifest manifest = jar.getManifest();
      String manifestClassPath = manifest == null ? null
          : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (manifestClassPath == null || manifestClassPath.isBlank() || hasClasses(jar)) {
        into.add(entry);
        return;
      }
      URI base = entry.getParent().toUri();
      for (String item : manifestClassPath.trim().split("\\s+")) {
        into.add(Paths.get(base.resolve(item)).toAbsolutePath().normalize());
      }
    } catch (IOException e) {
      into.add(entry);
    }
  }

  private static boolean hasClasses(JarFile jar) {
    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
      if (e.nextElement().getName().endsWith(".class")) {
        return true;
      }
    }
    return false;
  }

  private static boolean holds(Path entry, String resource) {
    if (Files.isDirectory(entry)) {
      return Files.exists(entry.resolve(resource));
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      return jar.getEntry(resource) != null;
    } catch (IOException e) {
      return false;
    }
  }
}
