package connguard.it.faults;

import connguard.it.servers.Databases;
import connguard.it.servers.PgAdmin;

/**
 * A fresh table on the machine's PostgreSQL, reached by the app through a {@link FaultProxy} that
 * can lose a reply after the server ran the request: the fixture of the unknown-outcome tests.
 * The admin side ({@link #pg}) talks to the server directly. Closes the proxy, ends the app's
 * sessions and drops the table.
 */
public final class ProxiedLedger implements AutoCloseable {
  public final PgAdmin pg;
  public final FaultProxy proxy;
  public final String app;
  public final String ledger;

  /** @param columns the table's column list, e.g. "(id int primary key, amount int)" */
  public ProxiedLedger(String appPrefix, String columns) {
    pg = Databases.postgres();
    proxy = FaultProxy.start(PgAdmin.PORT);
    app = pg.uniqueName(appPrefix);
    ledger = pg.uniqueName("ledger");
    pg.exec("create table " + ledger + " " + columns);
  }

  /** The app's URL: through the proxy, named by its application_name. */
  public String url() {
    return pg.url(app, proxy.port());
  }

  @Override public void close() {
    proxy.close();
    pg.terminate(app);
    pg.exec("drop table if exists " + ledger);
  }
}
