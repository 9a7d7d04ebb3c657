/**
 * The floor arms of a focused run ({@code BENCH_FLOOR=1}): a dispatcher put behind connguard's
 * bridge that does none of the guard's work. The one place the benchmarks compile against the
 * agent (its bridge, {@code connguard.bridge}, the contract the woven code calls); loaded only by
 * reflection, in a JVM started with the agent.
 */
package connguard.bench.floor;
