package connguard.examples.ledger;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The service: one unit of work is one transaction, as a Spring Data JPA service writes it. */
@Service
public class LedgerService {
  private final AccountRepository accounts;
  private final TransferRepository transfers;
  private final JdbcTemplate jdbc;

  LedgerService(AccountRepository accounts, TransferRepository transfers, JdbcTemplate jdbc) {
    this.accounts = accounts;
    this.transfers = transfers;
    this.jdbc = jdbc;
  }

  /** Each worker's own account, reference data an app seeds at start; kept when there already. */
  @Transactional
  public void seedOwnAccounts(long firstId, int workers) {
    for (int w = 0; w < workers; w++) {
      long id = firstId + w;
      Long present = jdbc.queryForObject("select count(*) from account where id = ?", Long.class, id);
      if (present == null || present == 0) {
        jdbc.update("insert into account (id, business_key, worker, balance, last_key, version)"
            + " values (?, ?, ?, 0, null, 0)", id, "own_" + w, w);
      }
    }
  }

  /** Outside the unit's transaction: a derived count, run by Spring Data as it sees fit. */
  public long countOpenedBy(int worker) {
    return accounts.countByBusinessKeyContaining(ownPrefix(worker));
  }

  /**
   * The unit: the worker's latest accounts ({@code like ... escape '\'}, the transaction's first
   * statement), its own account through {@code getReferenceById} (a Hibernate proxy loaded by its
   * getter), a new account (sequence id, inserted at flush) and a transfer (identity id, inserted
   * at once, generated keys), the own account credited (versioned update), then
   * {@code saveAndFlush}'s flush and Spring's commit. Returns the class of the own account's
   * reference.
   */
  @Transactional
  public String transfer(int worker, long ownId, String key, UnitPhase phase) {
    phase.now("first-statement");
    List<Account> latest = accounts.findTop3ByBusinessKeyContainingOrderByIdDesc(ownPrefix(worker));
    phase.now("find");
    Account own = accounts.getReferenceById(ownId);
    long balance = own.getBalance();
    phase.now("persist");
    accounts.save(new Account(key, worker));
    transfers.save(new Transfer(key, ownId, 1));
    own.credit(1, key);
    phase.now("flush");
    accounts.flush();
    phase.now("commit");
    return own.getClass().getName() + " (balance " + balance + ", " + latest.size() + " latest)";
  }

  private static String ownPrefix(int worker) {
    return "k_" + worker + "_";
  }
}
