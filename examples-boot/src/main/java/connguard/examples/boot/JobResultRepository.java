package connguard.examples.boot;

import org.springframework.data.jpa.repository.JpaRepository;

interface JobResultRepository extends JpaRepository<JobResult, Long> {}
