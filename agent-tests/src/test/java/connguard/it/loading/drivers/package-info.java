/**
 * JDBC drivers and connections as found in the wild, for the child JVM: a p6spy-style wrapper, a
 * JDK proxy, a connection whose isValid throws, Connection classes generated at run time.
 * Registered through {@code META-INF/services/java.sql.Driver}; used by {@code HostileDriversIT}
 * and the shell's {@code generated} command. Depends on the JDK only.
 */
package connguard.it.loading.drivers;
