/**
 * Attaching: read options, put the bridge on the bootstrap class path, register the transformer.
 * Nothing here may throw into the JVM: an exception in premain aborts the application.
 *
 * <p>Class loaders: the agent jar (with shaded Byte Buddy and SLF4J) is loaded by the system
 * loader; {@code connguard.bridge} is copied into a small jar appended to the bootstrap loader,
 * so that advice inlined into a driver of any loader resolves it. No other package may be placed
 * on bootstrap: it could not see {@code java.sql} on Java 9+.
 */
package connguard.boot;
