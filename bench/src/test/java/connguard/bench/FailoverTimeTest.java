package connguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverTimeTest {
  @Test
  void percentilesAreNearestRankSoTheP90OfTenCyclesIsTheNinthAndTheMedianTheFifth() {
    List<Long> ten = List.of(-74L, -21L, 3L, 8L, 12L, 40L, 41L, 90L, 655L, 900L);
    assertEquals(12, FailoverTime.percentile(ten, 50));
    assertEquals(655, FailoverTime.percentile(ten, 90));
    assertEquals(900, FailoverTime.percentile(ten, 100));
    assertEquals(-21, FailoverTime.percentile(List.of(-74L, -21L, 3L), 50), "quick mode: 3 cycles");
    assertEquals(3, FailoverTime.percentile(List.of(-74L, -21L, 3L), 90));
  }
}
