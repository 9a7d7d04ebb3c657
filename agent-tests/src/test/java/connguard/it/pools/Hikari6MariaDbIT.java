package connguard.it.pools;

import connguard.it.harness.AppJvm;

/** {@link HikariMariaDbIT} with HikariCP 6 in the child instead of 5. */
class Hikari6MariaDbIT extends HikariMariaDbIT {
  @Override
  AppJvm child(String agentArgs) {
    return super.child(agentArgs).replaceJar("HikariCP-", System.getProperty("connguard.hikari6"));
  }
}
