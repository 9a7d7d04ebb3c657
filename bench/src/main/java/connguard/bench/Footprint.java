package connguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap retained per open connection and per open statement, per arm: runs probe.Footprint in a
 * child JVM (serial GC, so "in use after a full GC" is exact) RUNS times per arm and reports the
 * medians and what the last arm adds to the first (target: connguard adds at most 1 KiB per
 * connection).
 *
 * <pre>
 * java -cp benchmarks.jar connguard.bench.Footprint OUT_DIR PROBE_JAR RUNS NAME=JVM_OPTIONS...
 * </pre>
 */
public final class Footprint {
  static final String PROBE = "probe.Footprint";

  private Footprint() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length < 4) {
      System.err.println("usage: Footprint OUT_DIR PROBE_JAR RUNS NAME=JVM_OPTIONS...");
      System.exit(2);
    }
    Path out = Paths.get(argv[0]);
    Files.createDirectories(out);
    String probeJar = argv[1];
    int runs = Math.max(1, Integer.parseInt(argv[2]));
    List<Arm> arms = Arm.parseAll(Arrays.copyOfRange(argv, 3, argv.length));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    // arm -> [bytes per connection of each run, bytes per statement of each run]
    Map<String, List<List<Double>>> bytes = new LinkedHashMap<>();
    for (Arm arm : arms) {
      bytes.put(arm.name, List.of(new ArrayList<>(), new ArrayList<>()));
    }
    for (int run = 0; run < runs; run++) {
      for (Arm arm : Arm.rotated(arms, run)) {
        Arm withSerialGc = new Arm(arm.name, concat(arm.jvmArgs, "-XX:+UseSerialGC", "-Xmx1g"));
        String ready = StartupTime.run(java, withSerialGc, probeJar, PROBE).line;
        // "ready connection=1234 statement=567"
        String[] fields = ready.split("[ =]");
        bytes.get(arm.name).get(0).add(Double.parseDouble(fields[2]));
        bytes.get(arm.name).get(1).add(Double.parseDouble(fields[4]));
      }
    }

    List<String> header = new ArrayList<>(List.of("object"));
    for (Arm arm : arms) {
      header.add(arm.name + " B");
    }
    Arm first = arms.get(0);
    Arm last = arms.get(arms.size() - 1);
    header.add(last.name + "-" + first.name + " B");
    List<List<String>> rows = new ArrayList<>();
    String[] objects = {"per open connection", "per open statement"};
    for (int o = 0; o < objects.length; o++) {
      List<String> row = new ArrayList<>(List.of(objects[o]));
      for (Arm arm : arms) {
        row.add(String.format(Locale.ROOT, "%,.0f", StartupTime.median(bytes.get(arm.name).get(o))));
      }
      row.add(String.format(Locale.ROOT, "%+,.0f", StartupTime.median(bytes.get(last.name).get(o))
          - StartupTime.median(bytes.get(first.name).get(o))));
      rows.add(row);
    }
    String table = ArmComparison.markdown(header, rows) + String.format(Locale.ROOT,
        "%nHeap in use after full GCs (serial GC) with %d H2 in-memory connections, then %d statements"
            + " (prepareStatement) open, per object; median of %d runs per arm.%n", 2_000, 8_000, runs);
    System.out.println(table);
    Files.writeString(out.resolve("footprint.md"), table);
  }

  private static List<String> concat(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(Arrays.asList(more));
    return all;
  }
}
