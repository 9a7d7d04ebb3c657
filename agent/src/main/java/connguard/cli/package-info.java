/**
 * {@code java -jar connguard.jar}: usage, {@code attach}, and the {@code doctor} that reads a
 * database's timeouts and recommends settings. Never loaded by the agent itself.
 *
 * <p>Depends on {@code config} (option defaults, durations), {@code tuning} (reading timeouts and
 * the recommendation) and {@code log.Redact} only. JDBC I/O beyond the timeouts (connecting,
 * measuring round trips) lives in {@link connguard.cli.Doctor} alone.
 */
package connguard.cli;
