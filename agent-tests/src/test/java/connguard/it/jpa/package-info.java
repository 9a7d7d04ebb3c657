/**
 * A JPA service under fire while the test kills its sessions and lets idle ones time out: Hibernate
 * ORM alone over HikariCP ({@link connguard.it.jpa.JpaWorkload}, on this module's class path), or
 * the Spring Boot ledger service of examples-boot ({@link connguard.it.jpa.JpaApp#SPRING_BOOT}).
 * One suite ({@link connguard.it.jpa.JpaServiceIT}), one subclass per database and app; both apps
 * report each unit's facts and {@link connguard.it.jpa.UnitOutcomes} judges them.
 */
package connguard.it.jpa;
