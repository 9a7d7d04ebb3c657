/**
 * Many faults and many connections at once: {@link connguard.it.chaos.ChaosIT} runs a 4-thread
 * workload while it breaks connections in every way it knows (CHAOS.md; {@code make chaos} runs
 * it in full), {@link connguard.it.chaos.MassKillIT} kills every connection of an app at once,
 * and {@link connguard.it.chaos.LongLifeIT} opens a million connections with memory flat. The
 * workloads run in the child JVM.
 */
package connguard.it.chaos;
