/**
 * What a database server's own timeouts mean for connguard's settings: which server settings can
 * close a session ({@link connguard.tuning.ServerSetting}), reading them over JDBC
 * ({@link connguard.tuning.TimeoutReader}, the only I/O here), and the pure decisions built on
 * them: recommended values ({@link connguard.tuning.Recommendation}) and whether the agent's
 * options fit a server ({@link connguard.tuning.IdleFit}). On the same connection, what the
 * server's SQL is ({@link connguard.tuning.FunctionCatalogReader}): its string settings and, on
 * PostgreSQL, its functions, for {@link connguard.policy.FunctionCatalog}. A pool's own idle
 * settings, read by reflection ({@link connguard.tuning.HikariSettings}), to check against them.
 *
 * <p>Used by the {@code doctor} command and by the agent at run time. Depends on java.sql,
 * {@code config} (defaults, durations), {@code policy} (the dialect and
 * catalog it fills) and nothing else: never heal, boot or bridge.
 */
package connguard.tuning;
