/**
 * Attaching: read options, put the bridge on the bootstrap class path, register the transformer,
 * and weave. Nothing here may throw into the JVM: an exception in premain aborts the application.
 *
 * <p>Weaving: a class being defined is woven with plain ASM ({@code DefinitionWeaver}: its
 * supertypes read from class files, each java.sql method split into its renamed body and a
 * wrapper, see {@code MethodWrapper}); only a class loaded before the agent (attach), whose shape
 * a retransformation cannot change, goes through Byte Buddy's inline advice
 * ({@code RetransformWeaver}, {@code connguard.advice}). Which methods and with which kind:
 * {@code JdbcSignatures} and {@code JdbcMethods}, shared by both.
 *
 * <p>Class loaders: the agent jar (with shaded ASM, Byte Buddy and SLF4J) is loaded by the system
 * loader; {@code connguard.bridge} is defined in the bootstrap loader, so that woven code in a
 * driver of any loader resolves it. No other package may be placed on bootstrap: it could not see
 * {@code java.sql} on Java 9+. One class, {@code LoadedClassFinder}, is defined by a class loader of
 * the agent's own (a child of the system loader, never handed out), the only module
 * {@code java.lang} is opened to ({@code LoadedClassLookup}); the system loader's unnamed module,
 * which the whole app class path shares, gets only {@code jdk.internal.misc} exported (the bridge).
 */
package connguard.boot;
