package connguard.stats;

import connguard.config.Durations;
import connguard.log.Log;
import java.util.concurrent.TimeUnit;

/** The optional periodic one-line summary of the counters (statsInterval). */
public final class StatsLine {
  private StatsLine() {}

  public static void start(final Stats stats, final long intervalNanos) {
    if (intervalNanos == Durations.OFF) {
      return;
    }
    Thread t = new Thread(new Runnable() {
      @Override public void run() {
        while (true) {
          try {
            TimeUnit.NANOSECONDS.sleep(intervalNanos);
          } catch (InterruptedException e) {
            return;
          }
          Log.info(stats.summary());
        }
      }
    }, "connguard-stats");
    t.setDaemon(true);
    t.start();
  }
}
