/**
 * The agent's counters where the app's metrics are: meters in the app's Micrometer
 * ({@code Metrics.globalRegistry}, where Spring Boot adds its registries) and OpenTelemetry
 * ({@code GlobalOpenTelemetry}, set by the app's SDK or the OpenTelemetry Java agent), and a span
 * event on the app's current span for each recovery or refusal. {@link connguard.metrics.AppMetrics}
 * reads the option {@code metrics} and binds them at the first guarded connection, also the JMX
 * MBean.
 *
 * <p>Found by reflection in the app's class loader: the agent jar holds no Micrometer or
 * OpenTelemetry class. Nothing here runs on a JDBC call's success path: meters READ the counters of
 * {@link connguard.stats.Stats} (one set per server) when scraped, span events are added on the slow path only. Never
 * throws into the app: what cannot be bound is one DEBUG line.
 *
 * <p>May use {@code stats}, {@code config} and {@code log}; nothing else of connguard (the server a
 * connection goes to arrives as {@link connguard.metrics.ServerTags}, parsed by its caller).
 */
package connguard.metrics;
