package connguard.it.servers;

/** How a private server goes down: cleanly, or as in a crash. */
public enum StopMode {
  /** PostgreSQL pg_ctl -m fast, MariaDB SIGTERM: sessions are told, data is flushed. */
  FAST,
  /** PostgreSQL pg_ctl -m immediate, MariaDB SIGKILL: no goodbye, crash recovery on start. */
  IMMEDIATE
}
