package connguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall time from starting a child JVM to the line its probe prints when done ("ready ..."): a
 * hello world that never touches JDBC, a tiny app up to its first H2 query result and, given
 * {@code --boot BOOT_JAR}, the Spring Boot JPA example as Boot deploys it ({@code java -jar},
 * examples-boot's StartupProbe: context refreshed, Flyway migrated, one transaction). Per arm and
 * probe, RUNS timed runs after one untimed run (file cache), arms rotated each run; the median is
 * reported, with min and max, and what each arm adds to the first arm's median. A probe whose
 * ready line names its main thread's CPU time gets that median too: on a shared machine it moves
 * less than the wall time.
 *
 * <pre>
 * java -cp benchmarks.jar connguard.bench.StartupTime OUT_DIR PROBE_JAR RUNS [--boot BOOT_JAR] NAME=JVM_OPTIONS...
 * java -cp benchmarks.jar connguard.bench.StartupTime --pool OUT_DIR/startup-runs.tsv...
 * </pre>
 */
public final class StartupTime {
  static final String[] PROBES = {"probe.Hello", "probe.FirstQuery"};
  static final String BOOT_PROBE = "BootJpa";
  static final long CHILD_TIMEOUT_SECONDS = 120;
  private static final Pattern MAIN_CPU = Pattern.compile("main thread CPU (\\d+) ms");

  private StartupTime() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length >= 2 && argv[0].equals("--pool")) {
      pool(Arrays.copyOfRange(argv, 1, argv.length));
      return;
    }
    if (argv.length < 4) {
      System.err.println("usage: StartupTime OUT_DIR PROBE_JAR RUNS [--boot BOOT_JAR] NAME=JVM_OPTIONS...");
      System.exit(2);
    }
    Path out = Paths.get(argv[0]);
    Files.createDirectories(out);
    String probeJar = argv[1];
    int runs = Integer.parseInt(argv[2]);
    int firstArm = 3;
    // probe name -> what follows the arm's options on the child's command line
    Map<String, List<String>> probes = new LinkedHashMap<>();
    for (String probe : PROBES) {
      probes.put(probe.substring(probe.indexOf('.') + 1), List.of("-cp", probeJar, probe));
    }
    if (argv.length > 5 && argv[3].equals("--boot")) {
      // Boot's PropertiesLauncher (layout ZIP) starts the class -Dloader.main names, from the nested jars.
      probes.put(BOOT_PROBE, List.of("-Dloader.main=connguard.examples.boot.StartupProbe", "-jar", argv[4]));
      firstArm = 5;
    }
    List<Arm> arms = Arm.parseAll(Arrays.copyOfRange(argv, firstArm, argv.length));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    // probe -> arm -> milliseconds of each timed run; the same for the main thread's CPU, if said
    Map<String, Map<String, List<Double>>> millis = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> mainCpu = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> probe : probes.entrySet()) {
      Map<String, List<Double>> byArm = new LinkedHashMap<>();
      Map<String, List<Double>> cpuByArm = new LinkedHashMap<>();
      for (Arm arm : arms) {
        byArm.put(arm.name, new ArrayList<>());
        cpuByArm.put(arm.name, new ArrayList<>());
        run(java, arm, probe.getValue());                   // untimed: fills the file cache
      }
      for (int run = 0; run < runs; run++) {
        for (Arm arm : Arm.rotated(arms, run)) {
          Ready ready = run(java, arm, probe.getValue());
          byArm.get(arm.name).add(ready.millis);
          Matcher cpu = MAIN_CPU.matcher(ready.line);
          if (cpu.find()) {
            cpuByArm.get(arm.name).add(Double.parseDouble(cpu.group(1)));
          }
        }
      }
      millis.put(probe.getKey(), byArm);
      if (!cpuByArm.get(arms.get(0).name).isEmpty()) {
        mainCpu.put(probe.getKey(), cpuByArm);
      }
    }

    String table = table(millis, arms, runs, java) + mainCpuLines(mainCpu, arms);
    System.out.println(table);
    Files.writeString(out.resolve("startup.md"), table);
    Files.writeString(out.resolve("startup-runs.tsv"), runLines(millis, mainCpu));
  }

  /**
   * {@code --pool RUNS_TSV...}: the table again from the {@code startup-runs.tsv} of earlier runs,
   * pooled (each file's runs keep their pairs; arms missing from a file are left out of it).
   */
  static void pool(String[] files) throws IOException {
    Map<String, Map<String, List<Double>>> millis = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> mainCpu = new LinkedHashMap<>();
    List<String> armNames = new ArrayList<>();
    for (String file : files) {
      readRunLines(Files.readAllLines(Paths.get(file)), millis, mainCpu, armNames);
    }
    List<Arm> arms = new ArrayList<>();
    for (String name : armNames) {
      arms.add(new Arm(name, List.of()));
    }
    int runs = millis.values().iterator().next().get(armNames.get(0)).size();
    System.out.print(table(millis, arms, runs, "pooled from " + String.join(", ", files)) + mainCpuLines(mainCpu, arms));
  }

  /**
   * Adds the runs of one {@link #runLines} text; every arm gets the same number of runs per probe
   * (an arm this text lacks is dropped from the pool, so that pairs stay pairs).
   */
  static void readRunLines(List<String> lines, Map<String, Map<String, List<Double>>> millis,
                           Map<String, Map<String, List<Double>>> mainCpu, List<String> armNames) {
    Map<String, Map<String, List<Double>>> fileMillis = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> fileCpu = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      fileMillis.computeIfAbsent(f[0], p -> new LinkedHashMap<>()).computeIfAbsent(f[2], a -> new ArrayList<>())
          .add(Double.parseDouble(f[3]));
      if (!f[4].isEmpty()) {
        fileCpu.computeIfAbsent(f[0], p -> new LinkedHashMap<>()).computeIfAbsent(f[2], a -> new ArrayList<>())
            .add(Double.parseDouble(f[4]));
      }
    }
    Set<String> inThisFile = fileMillis.values().iterator().next().keySet();
    if (armNames.isEmpty()) {
      armNames.addAll(inThisFile);
    } else {
      armNames.retainAll(inThisFile);
    }
    merge(fileMillis, millis, armNames);
    merge(fileCpu, mainCpu, armNames);
  }

  private static void merge(Map<String, Map<String, List<Double>>> from, Map<String, Map<String, List<Double>>> into,
                            List<String> armNames) {
    for (Map.Entry<String, Map<String, List<Double>>> probe : from.entrySet()) {
      Map<String, List<Double>> byArm = into.computeIfAbsent(probe.getKey(), p -> new LinkedHashMap<>());
      byArm.keySet().retainAll(armNames);
      for (String arm : armNames) {
        byArm.computeIfAbsent(arm, a -> new ArrayList<>()).addAll(probe.getValue().getOrDefault(arm, List.of()));
      }
    }
  }

  /** A probe's "ready ..." line and when it came. */
  static final class Ready {
    final double millis;
    final String line;

    Ready(double millis, String line) {
      this.millis = millis;
      this.line = line;
    }
  }

  /** Runs a probe of {@code probeJar} in a child JVM of this arm to its end; see {@link #run(String, Arm, List)}. */
  static Ready run(String java, Arm arm, String probeJar, String probe) throws IOException, InterruptedException {
    return run(java, arm, List.of("-cp", probeJar, probe));
  }

  /** Runs {@code java ARM_OPTIONS PROBE_ARGS} to its end; fails loudly unless it said ready and exited 0. */
  static Ready run(String java, Arm arm, List<String> probeArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(arm.jvmArgs);
    command.addAll(probeArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    List<String> output = new ArrayList<>();
    long start = System.nanoTime();
    Process child = builder.start();
    long readyNanos = -1;
    String readyLine = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (readyNanos < 0 && line.startsWith("ready")) {
          readyNanos = System.nanoTime() - start;
          readyLine = line;
        }
        output.add(line);
      }
    }
    if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not exit within " + CHILD_TIMEOUT_SECONDS + " s");
    }
    if (readyNanos < 0 || child.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + child.exitValue()
          + " without printing ready; its output:\n" + String.join("\n", output));
    }
    return new Ready(readyNanos / 1e6, readyLine);
  }

  static String table(Map<String, Map<String, List<Double>>> millis, List<Arm> arms, int runs, String java) {
    List<String> header = new ArrayList<>();
    header.add("probe");
    for (Arm arm : arms) {
      header.add(arm.name + " ms median [min-max]");
    }
    Arm first = arms.get(0);
    for (Arm arm : arms.subList(1, arms.size())) {
      header.add(arm.name + " adds ms");
    }
    for (Arm arm : arms.subList(1, arms.size())) {
      header.add(arm.name + " paired ms [95 %]");
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<Double>>> probe : millis.entrySet()) {
      List<String> row = new ArrayList<>();
      row.add(probe.getKey());
      for (Arm arm : arms) {
        List<Double> ms = probe.getValue().get(arm.name);
        row.add(String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median(ms), min(ms), max(ms)));
      }
      double base = median(probe.getValue().get(first.name));
      for (Arm arm : arms.subList(1, arms.size())) {
        row.add(String.format(Locale.ROOT, "%+.0f", median(probe.getValue().get(arm.name)) - base));
      }
      for (Arm arm : arms.subList(1, arms.size())) {
        List<Double> pairs = paired(probe.getValue().get(arm.name), probe.getValue().get(first.name));
        double[] interval = medianInterval(pairs);
        row.add(String.format(Locale.ROOT, "%+.0f [%+.0f, %+.0f]", median(pairs), interval[0], interval[1]));
      }
      rows.add(row);
    }
    return ArmComparison.markdown(header, rows) + String.format(Locale.ROOT,
        "%nWall time from process start to the probe's ready line; %d runs per arm (after one untimed),"
            + " arms rotated; \"adds\": the arm's median minus the first arm's; \"paired\": the median of"
            + " the differences within each run (the arms of one run start one after the other, so a"
            + " quieter or busier minute moves both), in brackets the 95 %% interval of that median"
            + " (bootstrap: a target inside it is not told apart by this run); %s%n", runs, java);
  }

  /** Per run, {@code arm}'s time minus {@code base}'s: runs are rounds in which every arm started once. */
  static List<Double> paired(List<Double> arm, List<Double> base) {
    List<Double> differences = new ArrayList<>();
    for (int i = 0; i < Math.min(arm.size(), base.size()); i++) {
      differences.add(arm.get(i) - base.get(i));
    }
    return differences;
  }

  /** Every timed run as a line: probe, run, arm, wall ms, main-thread CPU ms (or empty); to pool or re-read runs. */
  static String runLines(Map<String, Map<String, List<Double>>> millis, Map<String, Map<String, List<Double>>> mainCpu) {
    StringBuilder lines = new StringBuilder("probe\trun\tarm\twall_ms\tmain_cpu_ms\n");
    for (Map.Entry<String, Map<String, List<Double>>> probe : millis.entrySet()) {
      Map<String, List<Double>> cpu = mainCpu.get(probe.getKey());
      for (Map.Entry<String, List<Double>> arm : probe.getValue().entrySet()) {
        for (int run = 0; run < arm.getValue().size(); run++) {
          List<Double> armCpu = cpu == null ? null : cpu.get(arm.getKey());
          lines.append(String.format(Locale.ROOT, "%s\t%d\t%s\t%.0f\t%s%n", probe.getKey(), run, arm.getKey(),
              arm.getValue().get(run), armCpu == null || run >= armCpu.size() ? "" : String.format(Locale.ROOT, "%.0f", armCpu.get(run))));
        }
      }
    }
    return lines.toString();
  }

  /** One line per probe that reported its main thread's CPU time: the medians per arm. */
  static String mainCpuLines(Map<String, Map<String, List<Double>>> mainCpu, List<Arm> arms) {
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, Map<String, List<Double>>> probe : mainCpu.entrySet()) {
      lines.append(String.format(Locale.ROOT, "%s, main thread CPU to its ready line, median ms:", probe.getKey()));
      double base = median(probe.getValue().get(arms.get(0).name));
      for (Arm arm : arms) {
        double ms = median(probe.getValue().get(arm.name));
        lines.append(String.format(Locale.ROOT, " %s %.0f", arm.name, ms));
        if (arm != arms.get(0)) {
          lines.append(String.format(Locale.ROOT, " (%+.0f, paired %+.0f)", ms - base,
              median(paired(probe.getValue().get(arm.name), probe.getValue().get(arms.get(0).name)))));
        }
        lines.append(arm == arms.get(arms.size() - 1) ? "" : ",");
      }
      lines.append(String.format("%n"));
    }
    return lines.toString();
  }

  static final int RESAMPLES = 2_000;

  /**
   * A 95 % interval of the median of {@code values}: the 2.5th and 97.5th percentiles of the
   * medians of {@link #RESAMPLES} resamples drawn with replacement (a percentile bootstrap). The
   * seed is fixed, so the same runs give the same report.
   */
  static double[] medianInterval(List<Double> values) {
    Random random = new Random(26);
    double[] medians = new double[RESAMPLES];
    List<Double> sample = new ArrayList<>(values.size());
    for (int r = 0; r < RESAMPLES; r++) {
      sample.clear();
      for (int i = 0; i < values.size(); i++) {
        sample.add(values.get(random.nextInt(values.size())));
      }
      medians[r] = median(sample);
    }
    Arrays.sort(medians);
    return new double[] {medians[RESAMPLES / 40], medians[RESAMPLES - 1 - RESAMPLES / 40]};
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
