package connguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "\"{0}\" is {1} ms")
  @CsvSource(delimiter = '|', value = {
      "250ms|250",
      "2s|2000",
      "5m|300000",
      "1h|3600000",
      "1500|1500",
      "0|0",
      "0ms|0",
      "0s|0",
      "10MS|10",
      "3S|3000",
      "2M|120000",
      "1H|3600000",
      "007s|7000",
      "90s|90000",
  })
  void everyFormParsesToItsMilliseconds(String text, long millis) {
    assertEquals(TimeUnit.MILLISECONDS.toNanos(millis), Durations.parseNanos(text));
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertEquals(TimeUnit.SECONDS.toNanos(2), Durations.parseNanos("  2s  "));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(750), Durations.parseNanos("\t750\n"));
  }

  @ParameterizedTest(name = "\"{0}\" is off")
  @ValueSource(strings = {"off", "OFF", "Off", "  off  ", "\toff\n"})
  void offInAnyCaseIsMaxValue(String text) {
    assertEquals(Durations.OFF, Durations.parseNanos(text));
    assertEquals(Long.MAX_VALUE, Durations.parseNanos(text));
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {
      "", " ", "-1", "-5s", "+5s", "2 sec", "2sec", "2 s", "1.5s", "1,5s", "1d", "1us", "1ns",
      "s", "ms", "abc", "of", "offf", "o ff", "2s2", "0x10", "99999999999999999999",
      "9999999999999h", "9223372036854775807ms",
  })
  void negativeOrGarbageIsRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
  }

  @ParameterizedTest
  @NullSource
  void nullIsRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos(text));
  }

  @Test
  void refusalNamesTheTextAndTheForms() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos("2 sec"));
    assertEquals("\"2 sec\" is not a duration; use 250ms, 2s, 5m, 1h, a number of ms, or off",
        refused.getMessage());
  }

  @Test
  void autoIsNotADurationButPrintsAsAuto() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos("auto"));
    assertEquals("auto", Durations.format(Durations.AUTO));
  }

  @ParameterizedTest(name = "{0} ns prints as {1}")
  @CsvSource({
      "2000000000, 2s",
      "250000000, 250ms",
      "300000000000, 5m",
      "3600000000000, 1h",
      "7200000000000, 2h",
      "90000000000, 90s",
      "1500000000, 1500ms",
      "0, 0ms",
      "1, 1ns",
      "9223372036854775807, off",
  })
  void formatUsesTheLargestWholeUnit(long nanos, String text) {
    assertEquals(text, Durations.format(nanos));
  }

  @ParameterizedTest(name = "{0} survives a round trip")
  @ValueSource(strings = {"250ms", "2s", "5m", "1h", "off", "0ms", "1500ms", "15s"})
  void formatReadsBackAsTheSameValue(String text) {
    long nanos = Durations.parseNanos(text);
    assertEquals(text, Durations.format(nanos));
    assertEquals(nanos, Durations.parseNanos(Durations.format(nanos)));
  }
}
