/**
 * Broken networks on loopback: {@link connguard.it.faults.FaultProxy} sits between the app and a
 * server and cuts, refuses, blackholes, slows, or loses the reply to a chosen request, as
 * firewalls, partitions and crashed hosts do; {@link connguard.it.faults.ProxiedLedger} is a table
 * reached through one. {@code FaultProxyTest} checks each fault on a real connection.
 *
 * <p>Depends on {@code harness} and {@code servers}.
 */
package connguard.it.faults;
