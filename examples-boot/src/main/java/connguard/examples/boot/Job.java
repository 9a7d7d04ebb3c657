package connguard.examples.boot;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A job to process: its amount in, its status and worker out. */
@Entity
@Table(name = "demo_boot_jobs")
public class Job {
  static final String OPEN = "OPEN";
  static final String DONE = "DONE";

  @Id
  private Long id;
  private int amount;
  private String status;
  private String worker;
  // Optimistic locking, as JPA services usually have it; a null version also tells Spring Data
  // that a Job with an id of its own is new (persist, not merge).
  @Version
  private Integer version;

  protected Job() {}

  Job(long id, int amount) {
    this.id = id;
    this.amount = amount;
    this.status = OPEN;
  }

  long id() {
    return id;
  }

  int amount() {
    return amount;
  }

  void markDone(String byWorker) {
    status = DONE;
    worker = byWorker;
  }
}
