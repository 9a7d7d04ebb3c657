package connguard.examples.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A worker's own account (fixed id, seeded at start) and the new ones its units open (sequence id). */
@Entity
@Table(name = "account")
public class Account {
  @Id
  // Named, so that Hibernate alone and Spring Boot (whose naming strategy lowercases) agree with
  // the migration on MariaDB, whose sequence names are case-sensitive.
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_seq")
  @SequenceGenerator(name = "account_seq", sequenceName = "account_seq", allocationSize = 50)
  private Long id;
  @Column(name = "business_key", nullable = false, length = 64)
  private String businessKey;
  @Column(name = "worker", nullable = false)
  private int worker;
  @Column(name = "balance", nullable = false)
  private long balance;
  @Column(name = "last_key", length = 64)
  private String lastKey;
  @Version
  @Column(name = "version", nullable = false)
  private long version;

  protected Account() {}

  Account(String businessKey, int worker) {
    this.businessKey = businessKey;
    this.worker = worker;
  }

  // Accessors, not fields: a lazy reference (getReferenceById) is a Hibernate proxy, made by its
  // Byte Buddy, that loads the row on the first method call.
  public long getBalance() {
    return balance;
  }

  public void credit(long amount, String key) {
    balance += amount;
    lastKey = key;
  }
}
