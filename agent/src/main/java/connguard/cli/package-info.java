/**
 * {@code java -jar connguard.jar}: usage, {@code attach}, and the {@code doctor} that reads a
 * database's timeouts and recommends settings. Never loaded by the agent itself.
 *
 * <p>Depends on {@code config} (option defaults, durations) and {@code log.Redact} only. The
 * recommendation logic ({@link connguard.cli.Recommendation}, {@link connguard.cli.ServerTimeouts})
 * is pure and unit-tested; JDBC I/O lives in {@link connguard.cli.Doctor} alone.
 */
package connguard.cli;
