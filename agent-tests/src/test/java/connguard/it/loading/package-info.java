/**
 * How the agent gets into a JVM and what it weaves: start-up with {@code -javaagent}, attach to a
 * running JVM, drivers in a webapp-style class loader, and drivers that wrap, proxy or generate
 * their connections ({@code drivers}).
 */
package connguard.it.loading;
