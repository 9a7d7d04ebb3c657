package connguard.it.recovery;

import connguard.it.harness.AppJvm;

/** The MariaDB Connector/J suite (its HikariCP tests included) with HikariCP 6 in the child. */
class Hikari6MariaDbIT extends MariaDbRecoveryIT {
  @Override
  AppJvm child(String agentArgs) {
    return super.child(agentArgs).replaceJar("HikariCP-", System.getProperty("connguard.hikari6"));
  }
}
