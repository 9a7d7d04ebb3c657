package connguard.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that breaks connections the way networks do: {@link #cutAll} (reset
 * every connection, like a firewall dropping state or a server host rebooting), {@link #refuse}
 * (new connections die at once), {@link #blackhole} (bytes stop flowing, nothing is closed, like
 * a partition), {@link #cutOneAfterBytes} (one connection dies mid-stream, like a crashed
 * middlebox), {@link #latency} (every forwarded chunk is delayed, like a slow or distant link).
 * Two threads per connection; at most {@value #MAX_CONNECTIONS} connections.
 */
public final class FaultProxy implements AutoCloseable {
  static final int MAX_CONNECTIONS = 128;
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;
  // A blackholed byte is held, not dropped, so the stream is intact when traffic resumes (as
  // TCP retransmission would do). Held longer than this, the connection is closed.
  private static final long MAX_HOLD_MILLIS = TimeUnit.MINUTES.toMillis(5);
  private static final int MAX_ACCEPTS = 100_000;

  private volatile int targetPort;        // new connections only: see retarget
  private final ServerSocket server;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object gate = new Object();
  private final Thread acceptor;
  private volatile String cutMarker;        // lower case; one-shot, see cutAfterRequest
  private volatile String dropMarker;       // lower case; one-shot, see cutBeforeRequest
  private volatile boolean refusing;
  private volatile boolean blackholed;
  private volatile boolean closed;
  private volatile long latencyMillis;
  private volatile ByteCut byteCut;         // one-shot, see cutOneAfterBytes

  /** Which way the bytes of {@link #cutOneAfterBytes} are counted. */
  public enum Direction {
    /** Client to server: requests. */
    TO_SERVER,
    /** Server to client: replies. */
    TO_CLIENT
  }

  private FaultProxy(int targetPort, ServerSocket server) {
    this.targetPort = targetPort;
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "faultproxy-" + server.getLocalPort() + "-accept");
    acceptor.setDaemon(true);
  }

  /** A proxy on a free loopback port forwarding to 127.0.0.1:{@code targetPort}. */
  public static FaultProxy start(int targetPort) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      FaultProxy proxy = new FaultProxy(targetPort, server);
      proxy.acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the proxy port", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /**
   * New connections go to 127.0.0.1:{@code port} from now on; those open stay where they are,
   * as with a DNS name or a VIP moved to another server after a failover.
   */
  public void retarget(int port) {
    targetPort = port;
  }

  /** Resets every current connection on both sides; new connections are still accepted. */
  public void cutAll() {
    for (Pair pair : new ArrayList<>(pairs)) {
      pair.reset();
    }
  }

  /**
   * One-shot: the first connection that forwards bytes in {@code direction} after this call is
   * reset once {@code bytes} more bytes went that way (the last chunk is cut short, so the peer
   * may get half a message). Other connections are left alone.
   */
  public void cutOneAfterBytes(Direction direction, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
    }
    byteCut = new ByteCut(direction, bytes);
  }

  /** True while a {@link #cutOneAfterBytes} has not fired yet. */
  public boolean byteCutPending() {
    ByteCut cut = byteCut;
    return cut != null && !cut.fired;
  }

  /**
   * Delays every forwarded chunk, both directions, by {@code millis} (0: off). Takes effect on
   * the next chunk of every connection, new and existing.
   */
  public void latency(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("latency must be >= 0: " + millis);
    }
    latencyMillis = millis;
  }

  /**
   * Outcome unknown, on purpose: the next request whose bytes contain {@code marker} (ASCII, any
   * case) reaches the server, its reply is dropped, and {@value #REPLY_LOST_PAUSE_MILLIS} ms later
   * (the server has executed and, in autocommit, committed) the client's connection is reset.
   * One-shot.
   */
  public void cutAfterRequest(String marker) {
    cutMarker = marker.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Never sent: the next request whose bytes contain {@code marker} is dropped and the connection
   * reset on both sides, so the server sees its client vanish before that request (and rolls back
   * an open transaction). One-shot.
   */
  public void cutBeforeRequest(String marker) {
    dropMarker = marker.toLowerCase(java.util.Locale.ROOT);
  }

  static final long REPLY_LOST_PAUSE_MILLIS = 300;

  /** While on, a new connection is reset as soon as it is accepted. */
  public void refuse(boolean on) {
    refusing = on;
  }

  /** While on, no byte moves in either direction, on new and existing connections. */
  public void blackhole(boolean on) {
    synchronized (gate) {
      blackholed = on;
      gate.notifyAll();
    }
  }

  /** Connections currently open through the proxy. */
  public int connections() {
    return pairs.size();
  }

  /** Connections accepted since start, refused ones included. */
  public int accepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    cutAll();
    blackhole(false);
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    for (int i = 0; i < MAX_ACCEPTS && !closed; i++) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      if (refusing || pairs.size() >= MAX_CONNECTIONS) {
        reset(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
            CONNECT_TIMEOUT_MILLIS);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException e) {
        reset(client);
        reset(upstream);
        continue;
      }
      Pair pair = new Pair(client, upstream);
      pairs.add(pair);
      pair.start();
    }
  }

  /** Waits while blackholed. False if the connection should end instead of forwarding. */
  private boolean mayForward(Pair pair) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_HOLD_MILLIS);
    synchronized (gate) {
      while (blackholed && !pair.isClosed() && !closed) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (leftMillis <= 0) {
          return false;
        }
        gate.wait(Math.min(100, leftMillis));
      }
    }
    return !pair.isClosed();
  }

  /** RST instead of FIN: the peer sees "connection reset", as after a crash or a firewall. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Not connected; close is all there is.
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  /** One client connection and its upstream connection, pumped by two threads. */
  private final class Pair {
    private final Socket client;
    private final Socket upstream;
    private final List<Thread> pumps = new ArrayList<>(2);
    private volatile boolean closed;
    private volatile boolean replyLost;

    Pair(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
      String name = "faultproxy-" + port() + "-" + client.getPort();
      pumps.add(new Thread(() -> pump(client, upstream), name + "-up"));
      pumps.add(new Thread(() -> pump(upstream, client), name + "-down"));
    }

    void start() {
      for (Thread pump : pumps) {
        pump.setDaemon(true);
        pump.start();
      }
    }

    boolean isClosed() {
      return closed;
    }

    synchronized void reset() {
      if (!closed) {
        closed = true;
        pairs.remove(this);
        FaultProxy.reset(client);
        FaultProxy.reset(upstream);
      }
    }

    /** Orderly close after one side ended: the other side sees a normal end of stream. */
    synchronized void close() {
      if (!closed) {
        closed = true;
        pairs.remove(this);
        closeQuietly(client);
        closeQuietly(upstream);
      }
    }

    private void pump(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        // Ends at end of stream, or when reset/close makes read or write fail.
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (!mayForward(this)) {
            break;
          }
          if (from == client && dropMarker != null && takeDropMarker(buffer, n)) {
            reset();                        // the request that never arrives (cutBeforeRequest)
            return;
          }
          if (from == upstream && replyLost) {
            continue;                       // the reply that never arrives
          }
          long delay = latencyMillis;
          if (delay > 0) {
            Thread.sleep(delay);
          }
          int allowed = byteCutAllowance(from == client ? Direction.TO_SERVER : Direction.TO_CLIENT, n);
          if (allowed < n) {
            out.write(buffer, 0, allowed);
            out.flush();
            reset();
            return;
          }
          // Marked before the request is written: a server on loopback answers within
          // microseconds, and a reply forwarded before the mark would not be lost.
          boolean cutAfterThis = from == client && carriesCutMarker(buffer, n);
          if (cutAfterThis) {
            replyLost = true;
          }
          out.write(buffer, 0, n);
          out.flush();
          if (cutAfterThis) {
            Thread.sleep(REPLY_LOST_PAUSE_MILLIS);
            reset();
            return;
          }
        }
      } catch (IOException e) {
        // The connection was cut, by us or by a peer.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    /** How many of the next {@code n} bytes may go before an armed byte cut of this pair fires. */
    private int byteCutAllowance(Direction direction, int n) {
      ByteCut cut = byteCut;
      if (cut == null || cut.direction != direction || cut.fired) {
        return n;
      }
      synchronized (cut) {
        if (cut.owner == null) {
          cut.owner = this;                 // the first connection to send that way is the one
        }
        if (cut.owner != this || cut.fired) {
          return n;
        }
        if (cut.left >= n) {
          cut.left -= n;
          return n;
        }
        int allowed = (int) cut.left;
        cut.left = 0;
        cut.fired = true;
        return allowed;
      }
    }

    private boolean carriesCutMarker(byte[] buffer, int length) {
      String marker = cutMarker;
      if (marker == null) {
        return false;
      }
      String text = new String(buffer, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1)
          .toLowerCase(java.util.Locale.ROOT);
      if (!text.contains(marker)) {
        return false;
      }
      synchronized (FaultProxy.this) {
        if (cutMarker == null) {
          return false;                     // another connection took the one shot
        }
        cutMarker = null;
        return true;
      }
    }

    private boolean takeDropMarker(byte[] buffer, int length) {
      String marker = dropMarker;
      String text = new String(buffer, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1)
          .toLowerCase(java.util.Locale.ROOT);
      if (marker == null || !text.contains(marker)) {
        return false;
      }
      synchronized (FaultProxy.this) {
        if (dropMarker == null) {
          return false;
        }
        dropMarker = null;
        return true;
      }
    }

    private void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  /** An armed {@link #cutOneAfterBytes}: guarded by its own monitor. */
  private static final class ByteCut {
    final Direction direction;
    long left;
    Pair owner;
    volatile boolean fired;

    ByteCut(Direction direction, long bytes) {
      this.direction = direction;
      this.left = bytes;
    }
  }
}
