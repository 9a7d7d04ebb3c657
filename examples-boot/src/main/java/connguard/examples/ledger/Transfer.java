package connguard.examples.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One per unit of work; identity id, so Hibernate inserts it at save(), with generated keys. */
@Entity
@Table(name = "transfer")
public class Transfer {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;
  @Column(name = "business_key", nullable = false, length = 64)
  private String businessKey;
  @Column(name = "account_id", nullable = false)
  private long accountId;
  @Column(name = "amount", nullable = false)
  private long amount;

  protected Transfer() {}

  Transfer(String businessKey, long accountId, long amount) {
    this.businessKey = businessKey;
    this.accountId = accountId;
    this.amount = amount;
  }
}
