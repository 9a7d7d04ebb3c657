package connguard.it.replay;

import connguard.it.harness.AppJvm;
import connguard.it.harness.Shell;

/**
 * {@link PostgresTransactionReplayIT} through a HikariCP pool of one: the app holds Hikari's
 * proxies, the replay happens below them on pgjdbc's connection.
 */
class HikariPostgresTransactionReplayIT extends PostgresTransactionReplayIT {
  @Override Shell connected(String agentArgs) {
    Shell sh = AppJvm.withAgent(agentArgs).start();
    sh.ok("hikari p1 " + pg.url(app) + " 1");
    sh.ok("borrow c1 p1");
    return sh;
  }
}
