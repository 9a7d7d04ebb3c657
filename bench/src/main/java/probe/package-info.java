/**
 * The startup probes: the smallest programs whose start {@code connguard.bench.StartupTime} times.
 * They depend on java.sql and H2 only, and are packaged alone with H2 as startup-probe.jar.
 */
package probe;
