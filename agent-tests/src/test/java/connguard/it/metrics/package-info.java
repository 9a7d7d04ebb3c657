/**
 * The agent's counters where the app's metrics are, end to end: a child JVM with
 * {@code -javaagent:connguard.jar} runs {@link connguard.it.metrics.MeteredApp}, an app with
 * Micrometer ({@code Metrics.globalRegistry}) and the OpenTelemetry SDK (registered as
 * GlobalOpenTelemetry, in-memory reader and span exporter); its connection is killed the way
 * production kills one, and the test reads what the app's own metrics and traces saw.
 */
package connguard.it.metrics;
