package connguard.heal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import connguard.heal.StaleEndpoint.Plan;
import connguard.policy.Attempt;
import connguard.policy.Dialect;
import connguard.policy.Operation;
import connguard.policy.RetryPolicy;
import connguard.policy.SqlFacts;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which read-only refusals follow the failover: everything with nothing to lose; inside a
 * transaction with work, only what a dead connection's transaction would be replayed for too.
 */
class StaleEndpointTest {
  private static final RetryPolicy POLICY = new RetryPolicy(2);

  /** The refused write, as StaleEndpoint asks about it: in a transaction, proven unsent, replayable. */
  private static Attempt.Builder refused(String sql, Dialect dialect, int work) {
    return Attempt.builder(Operation.EXECUTE).sql(SqlFacts.of(sql, dialect)).autoCommit(false)
        .workInTransaction(work).provenUnsent(true).replayableParameters(true).transactionReplay(true);
  }

  private static final String INSERT = "insert into t values (1)";

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("nothing to lose: autocommit or no work yet", true,
            refused(INSERT, Dialect.POSTGRESQL, 0).autoCommit(true).transactionReplay(false), Plan.MOVE),
        Arguments.of("work, transactionReplay: replayed on the writable server", false,
            refused(INSERT, Dialect.POSTGRESQL, 1), Plan.MOVE_AND_REPLAY),
        Arguments.of("work, on MariaDB too", false, refused(INSERT, Dialect.MARIADB, 3), Plan.MOVE_AND_REPLAY),
        Arguments.of("work without transactionReplay: the server's error stands", false,
            refused(INSERT, Dialect.POSTGRESQL, 1).transactionReplay(false), Plan.STAY),
        Arguments.of("BEGIN with nothing in it yet (not movable): the server's error stands", false,
            refused(INSERT, Dialect.POSTGRESQL, 0), Plan.STAY),
        Arguments.of("DDL on MariaDB commits by itself: not replayed", false,
            refused("create table u (id int)", Dialect.MARIADB, 1), Plan.STAY),
        Arguments.of("a consumed stream cannot be sent again", false,
            refused(INSERT, Dialect.POSTGRESQL, 1).replayableParameters(false), Plan.STAY),
        Arguments.of("a pinned session cannot be given to a fresh connection", false,
            refused(INSERT, Dialect.POSTGRESQL, 1).sessionPinned(true), Plan.STAY),
        Arguments.of("never-retry, said in the statement", false,
            refused("/* connguard:never-retry */ " + INSERT, Dialect.POSTGRESQL, 1), Plan.STAY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aReadOnlyRefusalFollowsTheFailoverOnlyWhereNothingIsLostOrTheTransactionIsReplayed(
      String why, boolean movesWithoutLoss, Attempt.Builder attempt, Plan expected) {
    assertEquals(expected, StaleEndpoint.plan(movesWithoutLoss, POLICY, attempt.build()), why);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void maxRetriesZeroLeavesATransactionWithWorkWhereItIs(String why, boolean movesWithoutLoss,
                                                          Attempt.Builder attempt, Plan expected) {
    Plan withoutRetries = StaleEndpoint.plan(movesWithoutLoss, new RetryPolicy(0), attempt.build());
    assertEquals(expected == Plan.MOVE_AND_REPLAY ? Plan.STAY : expected, withoutRetries, why);
  }
}
