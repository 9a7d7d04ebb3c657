/**
 * {@code transactionReplay} and {@code resolveCommitOutcome}: a transaction whose connection died
 * mid-way is replayed on a fresh one and every result compared
 * ({@link connguard.it.replay.TransactionReplayIT}, one subclass per database, driver and pool),
 * and a COMMIT whose reply was lost is resolved by asking the server, never sent twice.
 */
package connguard.it.replay;
