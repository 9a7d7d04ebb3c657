package connguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs the JMH benchmarks in each arm and prints the tables: ns/op per arm (mean ± error, then
 * median [min]) with the ratios, the ratios of pairs run back to back, and bytes allocated per op
 * when JMH ran with -prof gc.
 *
 * <p>JMH's fork count becomes the number of rounds. In each round every benchmark method runs once
 * in every arm, the arms one right after the other (one fork each, in an order rotated per round
 * and per benchmark), before the next benchmark: the forks compared with each other are seconds
 * apart, not a whole suite apart, so a machine that slows down for a few minutes (another job, a
 * neighbour on the host) slows both sides of a pair. Per round and benchmark the ratio of the two
 * forks' medians is a pair; the median of the pairs is the paired ratio. The pooled tables take
 * all iterations of all rounds of an arm; their error is JMH's own (99.9% confidence half-width).
 *
 * <pre>
 * java -cp benchmarks.jar connguard.bench.ArmComparison OUT_DIR ARM... -- [JMH options]
 *   ARM: name=JVM options, e.g. none=  noop=-javaagent:bench/target/noop-agent.jar
 * </pre>
 */
public final class ArmComparison {
  /** The benchmarks' @Fork value: the rounds when the JMH options name no -f. */
  static final int DEFAULT_ROUNDS = 2;
  /** The secondary result of JMH's gc profiler: bytes allocated per op, nearly free of timing noise. */
  static final String ALLOCATION = "gc.alloc.rate.norm";
  /** Row order of the table; benchmarks not listed here follow, sorted. */
  static final List<String> ROWS = Arrays.asList("preparedSelect", "statementExecute", "batch100",
      "iterate1000", "prepareClose", "hikariPreparedSelect", "postgresPreparedSelect", "postgresAfterIdle",
      "postgresAfterIdleValidated",
      "postgresRecovery", "massRecovery(server=mariadb)", "massRecovery(server=postgres)",
      "scalingOneThread(connections=1)", "scalingOneThread(connections=100)",
      "scalingOneThread(connections=10000)", "scalingAllCores(connections=1)", "scalingAllCores(connections=100)",
      "scalingAllCores(connections=10000)");

  private ArmComparison() {}

  public static void main(String[] argv) throws Exception {
    int dash = Arrays.asList(argv).indexOf("--");
    if (dash < 2) {
      System.err.println("usage: ArmComparison OUT_DIR NAME=JVM_OPTIONS... -- [JMH options]");
      System.exit(2);
    }
    Path out = Paths.get(argv[0]);
    Files.createDirectories(out);
    List<Arm> arms = Arm.parseAll(Arrays.copyOfRange(argv, 1, dash));
    CommandLineOptions jmh = new CommandLineOptions(Arrays.copyOfRange(argv, dash + 1, argv.length));
    int rounds = jmh.getForkCount().orElse(DEFAULT_ROUNDS);
    if (rounds < 1) {
      throw new IllegalArgumentException("-f " + rounds + ": the arms differ only in the forked JVM's options;"
          + " use -f 1 or more");
    }

    // The user's options without the benchmark regexes: each run below names one method exactly.
    CommandLineOptions perMethod = new CommandLineOptions(withoutIncludes(Arrays.copyOfRange(argv, dash + 1, argv.length),
        jmh.getIncludes()));
    List<String> methods = methods(jmh);
    Files.createDirectories(out.resolve("json"));

    // benchmark -> arm -> iteration scores of all rounds
    Map<String, Map<String, ListStatistics>> scores = new TreeMap<>();
    // benchmark -> arm -> per round, the median of that round's fork (NaN: it failed)
    Map<String, Map<String, double[]>> roundMedians = new TreeMap<>();
    // benchmark -> arm -> bytes allocated per op, one value per round (only with -prof gc)
    Map<String, Map<String, ListStatistics>> allocation = new TreeMap<>();
    // benchmark -> its score unit: ns/op for most, us/op for the single-shot PostgreSQL rows
    Map<String, String> units = new TreeMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (int m = 0; m < methods.size(); m++) {
        String method = methods.get(m);
        for (Arm arm : Arm.rotated(arms, round - 1 + m)) {
          System.out.printf("%n==== round %d of %d, %s, arm %s%n", round, rounds, shortName(method), arm);
          Path json = out.resolve("json").resolve(arm.name + "-round" + round + "-" + shortName(method) + ".json");
          Options options = new OptionsBuilder().parent(perMethod).include("^" + Pattern.quote(method) + "$").forks(1)
              .jvmArgsAppend(withArm(jmh.getJvmArgsAppend().orElse(List.of()), arm))
              .result(json.toString()).resultFormat(ResultFormatType.JSON)
              .build();
          for (RunResult run : new Runner(options).run()) {
            String benchmark = shortName(run.getParams().getBenchmark()) + params(run.getParams());
            units.put(benchmark, run.getPrimaryResult().getScoreUnit());
            ListStatistics stats = scores.computeIfAbsent(benchmark, b -> new LinkedHashMap<>())
                .computeIfAbsent(arm.name, a -> new ListStatistics());
            ListStatistics thisRound = new ListStatistics();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
              for (IterationResult iteration : fork.getIterationResults()) {
                stats.addValue(iteration.getPrimaryResult().getScore());
                thisRound.addValue(iteration.getPrimaryResult().getScore());
              }
            }
            double[] medians = roundMedians.computeIfAbsent(benchmark, b -> new LinkedHashMap<>())
                .computeIfAbsent(arm.name, a -> nans(rounds));
            medians[round - 1] = thisRound.getN() == 0 ? Double.NaN : thisRound.getPercentile(50);
            for (Map.Entry<String, Result> secondary : run.getSecondaryResults().entrySet()) {
              if (secondary.getKey().endsWith(ALLOCATION)) {
                allocation.computeIfAbsent(benchmark, b -> new LinkedHashMap<>())
                    .computeIfAbsent(arm.name, a -> new ListStatistics()).addValue(secondary.getValue().getScore());
              }
            }
          }
        }
      }
    }

    String table = table(scores, arms, units, rounds, jmh.getIncludes().isEmpty()) + "\n" + pairedTable(roundMedians, arms);
    if (!allocation.isEmpty()) {
      table += "\n" + allocationTable(allocation, arms);
    }
    System.out.println();
    System.out.println(table);
    Files.writeString(out.resolve("table.md"), table);
  }

  /** The benchmark methods the user's regexes select (JMH's own matching), in table order. */
  static List<String> methods(CommandLineOptions jmh) {
    List<String> includes = jmh.getIncludes().isEmpty() ? List.of(".*") : jmh.getIncludes();
    Set<String> found = new TreeSet<>();
    for (BenchmarkListEntry entry : BenchmarkList.defaultList().find(
        OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), includes, jmh.getExcludes())) {
      found.add(entry.getUsername());
    }
    List<String> methods = new ArrayList<>();
    for (String row : ROWS) {
      String bare = row.contains("(") ? row.substring(0, row.indexOf('(')) : row;
      for (String method : found) {
        if (shortName(method).equals(bare) && !methods.contains(method)) {
          methods.add(method);
        }
      }
    }
    for (String method : found) {
      if (!methods.contains(method)) {
        methods.add(method);
      }
    }
    return methods;
  }

  /**
   * The JMH arguments without the benchmark regexes (its positional arguments, which JMH parsed
   * into {@code includes}); taken from the end, where a command line puts them.
   */
  static String[] withoutIncludes(String[] args, List<String> includes) {
    List<String> left = new ArrayList<>(Arrays.asList(args));
    List<String> pending = new ArrayList<>(includes);
    for (int i = left.size() - 1; i >= 0 && !pending.isEmpty(); i--) {
      if (pending.remove(left.get(i))) {
        left.remove(i);
      }
    }
    return left.toArray(new String[0]);
  }

  private static double[] nans(int n) {
    double[] values = new double[n];
    Arrays.fill(values, Double.NaN);
    return values;
  }

  /**
   * Per benchmark, the last arm against each earlier one as pairs: in each round the two forks ran
   * back to back, and a pair is the ratio of their medians. The median of the pairs, and their
   * range: a range that spans 1.00 is a difference this machine could not tell from its noise.
   */
  static String pairedTable(Map<String, Map<String, double[]>> roundMedians, List<Arm> arms) {
    Arm last = arms.get(arms.size() - 1);
    List<Arm> baselines = arms.subList(0, arms.size() - 1);
    List<String> header = new ArrayList<>();
    header.add("benchmark");
    for (int i = baselines.size() - 1; i >= 0; i--) {
      header.add(last.name + "/" + baselines.get(i).name + " paired [range]");
    }
    header.add("pairs");
    List<List<String>> rows = new ArrayList<>();
    for (String benchmark : ordered(roundMedians.keySet())) {
      Map<String, double[]> byArm = roundMedians.get(benchmark);
      List<String> row = new ArrayList<>();
      row.add(benchmark);
      int pairs = 0;
      for (int i = baselines.size() - 1; i >= 0; i--) {
        ListStatistics ratios = pairs(byArm.get(last.name), byArm.get(baselines.get(i).name));
        pairs = Math.max(pairs, (int) ratios.getN());
        row.add(ratios.getN() == 0 ? "-" : String.format(Locale.ROOT, "%.2f [%.2f-%.2f]",
            ratios.getPercentile(50), ratios.getMin(), ratios.getMax()));
      }
      row.add(String.valueOf(pairs));
      rows.add(row);
    }
    return markdown(header, rows) + String.format(Locale.ROOT, "%nPairs: per round, the two arms' forks of a"
        + " benchmark ran back to back; a pair is the ratio of their medians; the median of the pairs, [min-max].%n");
  }

  /** The ratios a/b of the rounds in which both forks gave a result. */
  static ListStatistics pairs(double[] a, double[] b) {
    ListStatistics ratios = new ListStatistics();
    if (a != null && b != null) {
      for (int r = 0; r < Math.min(a.length, b.length); r++) {
        if (!Double.isNaN(a[r]) && !Double.isNaN(b[r]) && b[r] > 0) {
          ratios.addValue(a[r] / b[r]);
        }
      }
    }
    return ratios;
  }

  private static String[] withArm(Collection<String> userArgs, Arm arm) {
    List<String> args = new ArrayList<>(userArgs);
    args.addAll(arm.jvmArgs);
    return args.toArray(new String[0]);
  }

  /** "(connections=100)" for a benchmark with JMH @Param values, else "": one row per value. */
  static String params(org.openjdk.jmh.infra.BenchmarkParams params) {
    List<String> values = new ArrayList<>();
    for (String key : params.getParamsKeys()) {
      values.add(key + "=" + params.getParam(key));
    }
    return values.isEmpty() ? "" : "(" + String.join(",", values) + ")";
  }

  static String shortName(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /**
   * Markdown, one row per benchmark: mean ± error per arm (JMH's score), then the last arm against
   * each earlier one as a ratio and as ns added per op; then the same with medians, which a burst
   * of load on a shared machine moves far less than the mean. An arm whose setup failed: "failed".
   */
  static String table(Map<String, Map<String, ListStatistics>> scores, List<Arm> arms, Map<String, String> units,
                      int rounds, boolean allSelected) {
    StringBuilder text = new StringBuilder();
    text.append(table(scores, arms, units, true));
    text.append(String.format(Locale.ROOT, "%n%d round(s) x 1 fork per arm; mean ± 99.9%% confidence half-width"
        + " over all measurement iterations of an arm (JMH's score and error); ~ marks a ratio whose two"
        + " intervals overlap (a difference within this run's noise).%n%n", rounds));
    text.append(table(scores, arms, units, false));
    text.append(String.format(Locale.ROOT, "%nThe same iterations: median [min], and ratios of medians.%n"));
    for (String missing : ROWS) {
      if (allSelected && !scores.containsKey(missing)) {
        text.append("not measured: ").append(missing)
            .append(" (its setup failed in every arm: see the JMH log)\n");
      }
    }
    return text.toString();
  }

  /**
   * The columns are in ns (per op, and added per op); a row in another unit says so after its
   * name, and all its numbers are in that unit.
   */
  private static String table(Map<String, Map<String, ListStatistics>> scores, List<Arm> arms,
                              Map<String, String> units, boolean mean) {
    List<String> header = new ArrayList<>();
    header.add("benchmark");
    for (Arm arm : arms) {
      header.add(arm.name + " ns/op" + (mean ? "" : " median [min]"));
    }
    Arm last = arms.get(arms.size() - 1);
    List<Arm> baselines = arms.subList(0, arms.size() - 1);
    for (int i = baselines.size() - 1; i >= 0; i--) {
      header.add(last.name + "/" + baselines.get(i).name);
    }
    for (int i = baselines.size() - 1; i >= 0; i--) {
      header.add(last.name + "-" + baselines.get(i).name + " ns");
    }

    List<List<String>> rows = new ArrayList<>();
    for (String benchmark : ordered(scores.keySet())) {
      Map<String, ListStatistics> byArm = scores.get(benchmark);
      List<String> row = new ArrayList<>();
      String unit = units.getOrDefault(benchmark, "ns/op");
      row.add(unit.equals("ns/op") ? benchmark : benchmark + " (" + unit + ")");
      for (Arm arm : arms) {
        ListStatistics s = byArm.get(arm.name);
        row.add(s == null ? "failed" : mean ? format(s.getMean()) + " ± " + format(error(s))
            : format(s.getPercentile(50)) + " [" + format(s.getMin()) + "]");
      }
      ListStatistics l = byArm.get(last.name);
      for (int i = baselines.size() - 1; i >= 0; i--) {
        ListStatistics b = byArm.get(baselines.get(i).name);
        row.add(l == null || b == null ? "-" : String.format(Locale.ROOT, "%.2f", center(l, mean) / center(b, mean))
            + (mean && overlap(l, b) ? " ~" : ""));
      }
      for (int i = baselines.size() - 1; i >= 0; i--) {
        ListStatistics b = byArm.get(baselines.get(i).name);
        row.add(l == null || b == null ? "-" : String.format(Locale.ROOT, "%+.1f", center(l, mean) - center(b, mean)));
      }
      rows.add(row);
    }
    return markdown(header, rows);
  }

  private static double center(ListStatistics s, boolean mean) {
    return mean ? s.getMean() : s.getPercentile(50);
  }

  /** Bytes allocated per op (JMH's gc.alloc.rate.norm, mean over rounds) per arm, and the last arm's extra. */
  static String allocationTable(Map<String, Map<String, ListStatistics>> allocation, List<Arm> arms) {
    List<String> header = new ArrayList<>();
    header.add("benchmark");
    for (Arm arm : arms) {
      header.add(arm.name + " B/op");
    }
    Arm last = arms.get(arms.size() - 1);
    Arm floor = arms.get(Math.max(0, arms.size() - 2));
    header.add(last.name + "-" + floor.name + " B/op");
    List<List<String>> rows = new ArrayList<>();
    for (String benchmark : ordered(allocation.keySet())) {
      Map<String, ListStatistics> byArm = allocation.get(benchmark);
      List<String> row = new ArrayList<>();
      row.add(benchmark);
      for (Arm arm : arms) {
        ListStatistics s = byArm.get(arm.name);
        row.add(s == null ? "-" : String.format(Locale.ROOT, "%,.0f", s.getMean()));
      }
      ListStatistics l = byArm.get(last.name);
      ListStatistics f = byArm.get(floor.name);
      row.add(l == null || f == null ? "-" : String.format(Locale.ROOT, "%+,.0f", l.getMean() - f.getMean()));
      rows.add(row);
    }
    return markdown(header, rows) + String.format(Locale.ROOT,
        "%nBytes allocated per op (JMH -prof gc, gc.alloc.rate.norm), mean over rounds.%n");
  }

  private static List<String> ordered(Collection<String> benchmarks) {
    List<String> order = new ArrayList<>();
    for (String b : ROWS) {
      if (benchmarks.contains(b)) {
        order.add(b);
      }
    }
    for (String b : benchmarks) {
      if (!order.contains(b)) {
        order.add(b);
      }
    }
    return order;
  }

  /** The two arms' error intervals overlap: the difference is within this run's noise. */
  static boolean overlap(ListStatistics a, ListStatistics b) {
    double ea = error(a);
    double eb = error(b);
    return Double.isNaN(ea) || Double.isNaN(eb) || Math.abs(a.getMean() - b.getMean()) <= ea + eb;
  }

  /** JMH gives no error for fewer than three iterations (NaN; shown as n/a, never as zero). */
  private static double error(ListStatistics s) {
    return s.getN() > 1 ? s.getMeanErrorAt(0.999) : Double.NaN;
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : value >= 10 ? "%.1f" : "%.2f", value);
  }

  static String markdown(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder text = new StringBuilder();
    line(text, header, width);
    List<String> rule = new ArrayList<>();
    for (int c = 0; c < width.length; c++) {
      rule.add(c == 0 ? "-".repeat(width[c]) : "-".repeat(width[c] - 1) + ":");
    }
    line(text, rule, width);
    for (List<String> row : rows) {
      line(text, row, width);
    }
    return text.toString();
  }

  private static void line(StringBuilder text, List<String> cells, int[] width) {
    text.append('|');
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(Math.max(0, width[c] - cell.length()));
      text.append(' ').append(c == 0 ? cell + pad : pad + cell).append(" |");
    }
    text.append('\n');
  }
}
