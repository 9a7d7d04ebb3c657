package connguard.boot;

import connguard.config.Options;
import connguard.log.Log;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Entry points named in the jar manifest. Never throws: an exception here would abort the JVM. */
public final class Premain {
  private Premain() {}

  public static void premain(String args, Instrumentation inst) {
    agentmain(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    try {
      List<String> problems = new ArrayList<String>();
      Options options = Options.load(args, System.getProperties(), System.getenv(), problems);
      Log.configure(options.logLevel());
      for (String problem : problems) {
        Log.warn(problem);
      }
      if (options.transactionReplay()) {
        // TODO(#7): replay with verification. Until then say so rather than pretend.
        Log.warn("connguard: transactionReplay=true is not implemented yet; a transaction lost mid-way"
            + " surfaces an error as with transactionReplay=false");
      }
      if (!options.enabled()) {
        Log.info("connguard: disabled (enabled=false); nothing is instrumented");
        return;
      }
      // The bridge must be on bootstrap before Installer (which names it) is even loaded.
      BootstrapBridge.inject(inst);
      Installer.install(options, inst);
    } catch (Throwable t) {
      // Plain stderr: logging itself may be what failed.
      System.err.println("connguard: not installed, the application runs without it: " + t);
    }
  }
}
