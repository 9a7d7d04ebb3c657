/**
 * What an operator runs and sees: {@code java -jar connguard.jar} (usage, {@code doctor}), options
 * and their errors, dry runs, the periodic summary and log file, the MBean's gauges, and the
 * server timeouts the agent reads for itself ({@code validateIdleAfter=auto}).
 */
package connguard.it.operability;
