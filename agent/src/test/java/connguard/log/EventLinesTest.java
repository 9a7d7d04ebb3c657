package connguard.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A mass failure is a few full lines and one summary; a trickle of events is every line in full. */
class EventLinesTest {
  /** What was written, as "LEVEL line". */
  static final class Recorded extends EventLines.Writer {
    final List<String> lines = Collections.synchronizedList(new ArrayList<String>());

    @Override void write(int severity, String line) {
      lines.add(new String[] {"DEBUG", "INFO", "WARN", "ERROR"}[severity] + " " + line);
    }

    List<String> at(String level) {
      List<String> at = new ArrayList<>();
      synchronized (lines) {
        for (String line : lines) {
          if (line.startsWith(level + " ")) {
            at.add(line);
          }
        }
      }
      return at;
    }
  }

  @Test
  void aHundredConnectionsDyingAtOnceGiveTheFirstLinesAndOneSummary() throws InterruptedException {
    Recorded out = new Recorded();
    EventLines events = new EventLines(out);
    for (int i = 0; i < 100; i++) {
      if (i % 10 == 9) {
        events.event(true, "connection #" + i + " refused");
      } else {
        events.event(false, "connection #" + i + " re-executed");
      }
    }
    assertEquals(EventLines.FULL_LINES, out.at("INFO").size() + out.at("WARN").size());
    assertEquals(100 - EventLines.FULL_LINES, out.at("DEBUG").size(), "every line is kept at DEBUG");
    // The summary comes when the window closes, with nothing more logged: bounded wait.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (out.at("WARN").size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    List<String> warn = out.at("WARN");
    String summary = warn.get(warn.size() - 1);
    assertTrue(summary.contains("90 more connection events") && summary.contains("9 refused, 81 healed"), summary);
    assertEquals(EventLines.FULL_LINES + 1, out.at("INFO").size() + out.at("WARN").size());
  }

  @Test
  void eventsSpreadOverTimeAreAllWrittenInFull() throws InterruptedException {
    Recorded out = new Recorded();
    EventLines events = new EventLines(out);
    for (int burst = 0; burst < 2; burst++) {
      for (int i = 0; i < EventLines.FULL_LINES; i++) {
        events.event(false, "burst " + burst + " line " + i);
      }
      Thread.sleep(EventLines.WINDOW_MILLIS + 100);
    }
    assertEquals(2 * EventLines.FULL_LINES, out.at("INFO").size());
    assertEquals(0, out.at("DEBUG").size());
    assertEquals(0, out.at("WARN").size(), "no summary when nothing was summarized");
  }

  @Test
  void theNextBurstAfterASummarizedOneStartsInFullAgain() throws InterruptedException {
    Recorded out = new Recorded();
    EventLines events = new EventLines(out);
    for (int i = 0; i < EventLines.FULL_LINES + 5; i++) {
      events.event(false, "first " + i);
    }
    Thread.sleep(EventLines.WINDOW_MILLIS + 100);
    events.event(false, "second burst");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (out.at("INFO").size() < EventLines.FULL_LINES + 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    List<String> info = out.at("INFO");
    assertTrue(info.stream().anyMatch(l -> l.contains("5 more connection events") && l.contains("0 refused, 5 healed")),
        info.toString());
    assertTrue(info.get(info.size() - 1).endsWith("second burst") || info.contains("INFO second burst"), info.toString());
  }
}
