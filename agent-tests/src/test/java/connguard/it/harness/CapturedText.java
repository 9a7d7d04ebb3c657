package connguard.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Everything a child wrote to one stream, read on a daemon thread so a chatty child never blocks
 * on a full pipe. Keeps the last {@link #MAX_CHARS} characters.
 */
public final class CapturedText {
  // Agent logs at debug level can be large; the tail is what explains a failure.
  static final int MAX_CHARS = 4 << 20;

  private final StringBuilder text = new StringBuilder();
  private final Thread reader;
  private long droppedChars;

  private CapturedText(InputStream in, String threadName) {
    reader = new Thread(() -> drain(in), threadName);
    reader.setDaemon(true);
  }

  public static CapturedText of(InputStream in, String threadName) {
    CapturedText captured = new CapturedText(in, threadName);
    captured.reader.start();
    return captured;
  }

  /** Adds text from elsewhere, e.g. stray stdout lines of a child. */
  synchronized void append(String more) {
    text.append(more);
    if (text.length() > MAX_CHARS) {
      int drop = text.length() - MAX_CHARS;
      text.delete(0, drop);
      droppedChars += drop;
    }
  }

  public synchronized String text() {
    return droppedChars == 0 ? text.toString()
        : "[" + droppedChars + " earlier chars dropped]\n" + text;
  }

  public synchronized String tail(int chars) {
    return text.length() <= chars ? text() : "..." + text.substring(text.length() - chars);
  }

  /** Waits (bounded) until the stream reached its end, so the text is complete. */
  public void awaitEnd(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain(InputStream in) {
    char[] buffer = new char[8192];
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      // Ends when the child exits and the pipe closes.
      for (int n; (n = r.read(buffer)) >= 0; ) {
        append(new String(buffer, 0, n));
      }
    } catch (IOException e) {
      append("\n[reading failed: " + e + "]\n");
    }
  }
}
