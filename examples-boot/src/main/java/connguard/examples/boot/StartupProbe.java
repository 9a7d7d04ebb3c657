package connguard.examples.boot;

import java.lang.management.ManagementFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * For bench/ (StartupTime): the app started on an in-memory H2, up to its context refreshed (the
 * point Boot logs "Started ... in"), then one transaction through JPA; prints {@code ready} and exits.
 * Without the web server (Actuator's HTTP endpoints): it starts no JDBC, and the BootJpa row stays
 * comparable to the runs before the example had one (bench/README.md).
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) {
    try (ConfigurableApplicationContext app = JobsApplication.on("jdbc:h2:mem:probe;DB_CLOSE_DELAY=-1", "sa", "")
        .web(WebApplicationType.NONE).run()) {
      long startedMillis = ManagementFactory.getRuntimeMXBean().getUptime();
      // The main thread's own CPU time: what the app's start cost, less the wait for a core that
      // a shared machine adds to the wall time.
      long mainCpuMillis = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
      app.getBean(JobService.class).reset(1);
      System.out.println("ready: context refreshed at " + startedMillis + " ms of JVM uptime, main thread CPU "
          + mainCpuMillis + " ms");
    }
  }
}
