package connguard.examples.load;

import java.lang.management.ManagementFactory;
import java.util.StringJoiner;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** connguard's MBean, when this JVM has the agent: every numeric attribute as {@code Name=value}. */
public final class AgentCounters {
  static final String STATS_MBEAN = "connguard:type=Stats";

  private AgentCounters() {}

  /** Adds {@code Name=value} for each counter to {@code line}; nothing without the agent. */
  public static void addTo(StringJoiner line) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      ObjectName stats = new ObjectName(STATS_MBEAN);
      if (server.isRegistered(stats)) {
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(stats).getAttributes()) {
          Object value = server.getAttribute(stats, attribute.getName());
          if (value instanceof Number) {
            line.add(attribute.getName() + "=" + value);
          }
        }
      }
    } catch (Exception e) {
      line.add("stats=unreadable:" + e.getClass().getSimpleName());
    }
  }
}
