package connguard.metrics;

import connguard.stats.Stats;
import io.micrometer.core.instrument.Metrics;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a bind leaves in the JVM's globals (the MBean, meters in Micrometer's global composite, the
 * global OpenTelemetry): cleared between tests, since a meter of an earlier test's Stats would
 * shadow the next one's under the same name.
 */
final class GlobalState {
  private GlobalState() {}

  static void clear() throws Exception {
    Metrics.globalRegistry.clear();
    GlobalOpenTelemetry.resetForTest();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(Stats.OBJECT_NAME);
    if (server.isRegistered(name)) {
      server.unregisterMBean(name);
    }
  }
}
