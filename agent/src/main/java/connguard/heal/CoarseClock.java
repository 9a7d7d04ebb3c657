package connguard.heal;

import java.util.concurrent.locks.LockSupport;

/**
 * A clock read on every JDBC round trip. System.nanoTime() costs ~25 ns on this kind of VM; a
 * volatile long refreshed every few ms costs ~1 ns and is precise enough for idle checks of 100 ms
 * and more. The thread starts with the first guarded connection, not with the JVM.
 */
final class CoarseClock {
  private static final long TICK_NANOS = 5_000_000L;
  private static volatile long now = System.nanoTime();
  private static volatile boolean started;

  private CoarseClock() {}

  static long nanoTime() {
    return now;
  }

  static void start() {
    if (started) {
      return;
    }
    synchronized (CoarseClock.class) {
      if (started) {
        return;
      }
      started = true;
      Thread ticker = new Thread(new Runnable() {
        @Override public void run() {
          while (true) {
            now = System.nanoTime();
            LockSupport.parkNanos(TICK_NANOS);
          }
        }
      }, "connguard-clock");
      ticker.setDaemon(true);
      ticker.start();
    }
  }
}
