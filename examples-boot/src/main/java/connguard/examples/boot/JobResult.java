package connguard.examples.boot;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** What processing a job wrote: one row per job, keyed by the job's id. */
@Entity
@Table(name = "demo_boot_results")
public class JobResult {
  @Id
  private Long jobId;
  private int total;
  private String worker;
  @Version
  private Integer version;

  protected JobResult() {}

  JobResult(long jobId, int total, String worker) {
    this.jobId = jobId;
    this.total = total;
    this.worker = worker;
  }
}
