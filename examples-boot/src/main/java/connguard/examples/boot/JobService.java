package connguard.examples.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The service: one job is one transaction that reads the job, asks pricing, inserts its result and updates the job. */
@Service
public class JobService {
  private final JobRepository jobs;
  private final JobResultRepository results;
  private final Pricing pricing;

  JobService(JobRepository jobs, JobResultRepository results, Pricing pricing) {
    this.jobs = jobs;
    this.results = results;
    this.pricing = pricing;
  }

  /**
   * Read, then the call to pricing (slow for a worker's first job: the database restarts then),
   * then the insert and the update, which Hibernate sends at commit.
   */
  @Transactional
  public void process(long jobId, String worker) {
    Job job = jobs.findById(jobId).orElseThrow(() -> new IllegalStateException("job " + jobId + " is missing"));
    int total = pricing.totalFor(job, worker);
    results.save(new JobResult(jobId, total, worker));
    job.markDone(worker);
  }

  /** A fresh set of open jobs (your own database keeps the tables between runs). */
  @Transactional
  public void reset(int count) {
    results.deleteAllInBatch();
    jobs.deleteAllInBatch();
    List<Job> fresh = new ArrayList<>();
    for (long id = 1; id <= count; id++) {
      fresh.add(new Job(id, Pricing.amountFor(id)));
    }
    jobs.saveAll(fresh);
  }
}
