package connguard.metrics;

/**
 * What happened to a connection, as the name of its span event (README, "What it tells you").
 * Every event line the agent writes (heal's {@code LogicalConnection.report}) names one.
 */
public final class Events {
  /** A call re-executed on a fresh connection after its connection died; the app got its result. */
  public static final String REEXECUTED = "connguard.reexecuted";
  /**
   * A connection found dead before the app's call was sent (idle validation, an isValid() that
   * answered false) and replaced; nothing needed re-executing.
   */
  public static final String RECONNECTED = "connguard.reconnected";
  /** A lost transaction replayed on a fresh connection, every result verified. */
  public static final String REPLAYED = "connguard.replayed";
  /**
   * A COMMIT whose reply was lost, its outcome learnt from the server: applied, or rolled back and
   * then replayed and committed; commit() returned normally.
   */
  public static final String COMMIT_RESOLVED = "connguard.commit.resolved";
  /**
   * A failover followed: the driver reconnected by itself, or the connection was on a server that
   * turned read-only and moved to the writable one; the call was re-executed there.
   */
  public static final String FAILOVER = "connguard.failover";
  /** Not healed: the app gets an error (not safe to re-execute, no fresh connection, replay refused ...). */
  public static final String REFUSED = "connguard.refused";
  /** dryRun=true: what would have been done; nothing was. */
  public static final String DRY_RUN = "connguard.dry_run";

  private Events() {}
}
