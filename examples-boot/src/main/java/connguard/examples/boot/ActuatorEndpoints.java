package connguard.examples.boot;

import static connguard.examples.Demo.oneLine;
import static connguard.examples.Demo.say;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * The app's own Actuator endpoints, read over HTTP as a Prometheus server scrapes them: what a user
 * of the service sees of connguard. The agent's meters are there only when it runs (it adds them to
 * Micrometer's global registry, which Boot's Prometheus registry is part of). Information for the
 * demo's output, never its verdict.
 */
final class ActuatorEndpoints {
  static final String PROMETHEUS = "/actuator/prometheus";
  static final String RETRIED = "/actuator/metrics/connguard.statements.retried";
  /** The lines a user would grep for: each one a sample of one of the agent's meters. */
  static final String PREFIX = "connguard_";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  private ActuatorEndpoints(int port) {
    // application.properties binds the server to 127.0.0.1 alone.
    this.base = "http://127.0.0.1:" + port;
  }

  /** Prints the agent's samples from the Prometheus page and its retried counter, or why not. */
  static void print(ApplicationContext app) throws InterruptedException {
    if (!(app instanceof WebServerApplicationContext web)) {
      say("metrics: the app runs without its web server; no /actuator to read");
      return;
    }
    // server.port=0: Boot chose a free port; the web server says which.
    new ActuatorEndpoints(web.getWebServer().getPort()).print();
  }

  private void print() throws InterruptedException {
    HttpResponse<String> page;
    try {
      page = get(PROMETHEUS);
    } catch (IOException e) {
      say("metrics: could not read " + base + PROMETHEUS + ": " + oneLine(e.toString()));
      return;
    }
    if (page.statusCode() != 200) {
      say("metrics: " + base + PROMETHEUS + " answered HTTP " + page.statusCode());
      return;
    }
    List<String> samples = page.body().lines().filter(line -> line.startsWith(PREFIX)).toList();
    if (samples.isEmpty()) {
      say("metrics: no " + PREFIX + " line at " + base + PROMETHEUS + " (no agent in this JVM)");
    } else {
      say("metrics: " + samples.size() + " " + PREFIX + " lines at " + base + PROMETHEUS + ":");
      samples.forEach(sample -> say("metrics:   " + sample));
    }
    String retried;
    try {
      HttpResponse<String> meter = get(RETRIED);
      retried = switch (meter.statusCode()) {
        case 200 -> oneLine(meter.body());
        case 404 -> "HTTP 404, no such meter";
        default -> "HTTP " + meter.statusCode();
      };
    } catch (IOException e) {
      retried = oneLine(e.toString());
    }
    say("metrics: " + RETRIED + ": " + retried);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
