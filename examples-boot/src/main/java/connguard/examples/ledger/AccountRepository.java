package connguard.examples.ledger;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Derived queries as Spring Data writes them: {@code Containing} is a {@code like ... escape '\'}. */
interface AccountRepository extends JpaRepository<Account, Long> {
  long countByBusinessKeyContaining(String part);

  List<Account> findTop3ByBusinessKeyContainingOrderByIdDesc(String part);
}
