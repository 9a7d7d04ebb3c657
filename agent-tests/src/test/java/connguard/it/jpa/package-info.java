/**
 * A JPA service under fire: Hibernate ORM over HikariCP in the child JVM
 * ({@link connguard.it.jpa.JpaWorkload}) while the test kills its sessions and lets idle ones time
 * out; one suite ({@link connguard.it.jpa.JpaServiceIT}), one subclass per database.
 */
package connguard.it.jpa;
