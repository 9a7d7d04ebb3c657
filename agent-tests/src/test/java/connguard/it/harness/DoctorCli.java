package connguard.it.harness;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code connguard.jar doctor} in a child JVM: its exit code, stdout and stderr. */
public final class DoctorCli {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  private DoctorCli() {}

  /** {@code java -cp connguard.jar:<pgjdbc> connguard.cli.Main doctor}: the driver on the class path. */
  public static List<String> classPathLaunch() {
    return List.of("-cp", AppJvm.agentJar() + File.pathSeparator + ChildJvm.jarOnClassPath("postgresql-"),
        "connguard.cli.Main", "doctor");
  }

  /** {@code java -jar connguard.jar doctor [options]}. */
  public static List<String> jarLaunch(String... options) {
    List<String> launch = new ArrayList<>(List.of("-jar", AppJvm.agentJar().toString(), "doctor"));
    launch.addAll(List.of(options));
    return launch;
  }

  /** Runs it to its end (at most a minute) with {@code env} added to its environment. */
  public static Run run(List<String> launch, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.javaExecutable(ChildJvm.defaultJavaHome()).toString());
    command.addAll(ChildJvm.LIGHT_JVM_ARGS);
    command.addAll(launch);
    command.addAll(List.of(args));
    Process p = ChildJvm.launch(command, env);
    CapturedText out = CapturedText.of(p.getInputStream(), "doctor-stdout");
    CapturedText err = CapturedText.of(p.getErrorStream(), "doctor-stderr");
    try {
      p.getOutputStream().close();
      if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("doctor did not exit within " + RUN_TIMEOUT + ": " + err.tail(2000));
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("running the doctor", e);
    }
    out.awaitEnd(5_000);
    err.awaitEnd(5_000);
    return new Run(p.exitValue(), out.text(), err.text());
  }

  /** What one run printed. */
  public record Run(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
