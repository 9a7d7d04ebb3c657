package connguard.it.replay;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;

/**
 * {@link TransactionReplayIT} on MariaDB through a HikariCP pool of one: the app holds Hikari's
 * proxies, the replay happens below them on the driver's connection.
 */
class HikariMariaDbTransactionReplayIT extends MariaDbTransactionReplayIT {
  @Override Shell connected(String agentArgs) {
    Shell sh = AppJvm.withAgent(agentArgs).jvmArg(AppJvm.QUICK_START).start();
    sh.ok("hikari p1 " + url() + " 1");
    sh.ok("borrow c1 p1");
    return sh;
  }
}
