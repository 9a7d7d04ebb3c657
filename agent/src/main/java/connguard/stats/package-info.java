/**
 * Counters of what the agent did, their JMX view {@code connguard:type=Stats}, and the periodic
 * INFO line that prints them ({@link connguard.stats.StatsLine}, statsInterval). Counted on slow
 * paths only; {@code connguard.metrics} shows them in the app's Micrometer and OpenTelemetry.
 * May use {@code config} (durations) and {@code log}; nothing else of connguard.
 */
package connguard.stats;
