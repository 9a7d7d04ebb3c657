package connguard.heal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.junit.jupiter.api.Test;

class RecoveryTest {
  @Test void aReadTimeoutIsFoundWhereDriversWrapIt() {
    // MariaDB Connector/J: SQLNonTransientConnectionException <- SocketTimeoutException "Read timed out"
    assertTrue(Recovery.timedOutReading(new SQLNonTransientConnectionException("Read timed out", "08000",
        new SocketTimeoutException("Read timed out"))));
    // pgjdbc: PSQLException "An I/O error occurred" <- IOException <- SocketTimeoutException
    assertTrue(Recovery.timedOutReading(new SQLException("An I/O error occurred while sending to the backend.",
        "08006", new IOException(new SocketTimeoutException("Read timed out")))));
  }

  @Test void otherSocketErrorsAreNotReadTimeouts() {
    assertFalse(Recovery.timedOutReading(new SQLException("I/O error", "08006", new SocketException("Connection reset"))));
    assertFalse(Recovery.timedOutReading(new SQLException("terminating connection", "57P01")));
  }

  @Test void aCauseCycleEnds() {
    SQLException a = new SQLException("a");
    SQLException b = new SQLException("b", a);
    a.initCause(b);
    assertFalse(Recovery.timedOutReading(a));
  }
}
