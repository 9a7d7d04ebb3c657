package connguard.boot;

import connguard.config.Options;
import connguard.log.Log;
import connguard.log.OffThread;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Entry points named in the jar manifest. Never throws: an exception here would abort the JVM. */
public final class Premain {
  private Premain() {}

  /** Set once per JVM: a second -javaagent or attach must not weave every class twice. */
  static final String INSTALLED_PROPERTY = "connguard.installed";

  public static void premain(String args, Instrumentation inst) {
    install(args, inst, false);
  }

  /** {@code java -jar connguard.jar attach <pid>}: the JVM already runs, and may hold connections. */
  public static void agentmain(String args, Instrumentation inst) {
    install(args, inst, true);
  }

  private static void install(String args, Instrumentation inst, boolean attached) {
    try {
      if (System.getProperty(INSTALLED_PROPERTY) != null) {
        System.err.println("connguard: already installed in this JVM; ignoring the second copy");
        return;
      }
      List<String> problems = new ArrayList<String>();
      Options options = Options.load(args, System.getProperties(), System.getenv(), problems);
      Log.configure(options.logLevel(), options.logFile(), options.logsThroughApp());
      for (String problem : problems) {
        Log.warn(problem);
      }
      if (!options.enabled()) {
        // Off the app's thread: a disabled agent must not cost the app's start the ~80 ms of
        // logging's first line.
        OffThread.start("connguard-start", new Runnable() {
          @Override public void run() {
            Log.info("connguard: disabled (enabled=false); nothing is instrumented");
          }
        });
        return;
      }
      System.setProperty(INSTALLED_PROPERTY, "true");
      if (attached) {
        // The bridge must be on bootstrap before Installer (which names it) is even loaded.
        BootstrapBridge.inject(inst);
        Installer.attach(options, inst);
      } else {
        // Only the class filter now; the rest starts at the first JDBC class (DeferredStart).
        inst.addTransformer(new JdbcClassFilter(new DeferredStart(options, inst)), true);
      }
    } catch (Throwable t) {
      // Plain stderr: logging itself may be what failed.
      System.err.println("connguard: not installed, the application runs without it: " + t);
    }
  }
}
