#!/bin/sh
# make bench: the JMH benchmarks in three arms (no agent, a no-op agent, connguard), then startup
# times in those and a fourth (hook: the no-op agent with a do-nothing class file transformer),
# and memory in the three, then failover times (no agent, connguard); prints the tables
# and keeps everything under bench/target/results/.
#
#   BENCH_QUICK=1        smoke run, about four minutes (the BootJpa starts are most of it)
#   BENCH_OPTS="..."     JMH options instead of the defaults below; -f N means N rounds, e.g.
#                        BENCH_OPTS="-f 1 -wi 2 -i 3 preparedSelect"  (a trailing regex selects)
#   BENCH_STARTUP_RUNS   timed startups per arm and probe (default 10; quick 3); 0 skips startup.
#                        The probes: Hello, FirstQuery, and BootJpa (examples-boot's Spring Boot
#                        JPA app, java -jar, to its context refreshed; about 8 s per start)
#   BENCH_AGENT_ARGS     options for the connguard arm, e.g. "validateIdleAfter=off"
#   BENCH_FLOOR=1        two more arms in the JMH part, between no-op and connguard: connguard's
#                        agent with a dispatcher that does no guarding (floor-crossings: the woven
#                        calls only; floor-state: and one small object per statement), to split
#                        connguard's cost into being called and deciding (see bench/README.md)
#   BENCH_FAILOVER_CYCLES  failovers per server for the time from promotion to the first write
#                        (default 10; quick 3); 0 skips. Needs root (servers run as postgres, mysql)
#   BENCH_WAIT_LOAD=1.0  first wait (at most 10 minutes) for the load average to drop below 1.0
#   JAVA                 the java to run (the forks and child JVMs use the same one), e.g.
#                        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
set -eu
cd "$(dirname "$0")/.."

JAVA=${JAVA:-java}
BENCH_JAR=bench/target/benchmarks.jar
PROBE_JAR=bench/target/startup-probe.jar
NOOP_JAR=bench/target/noop-agent.jar
AGENT_JAR=agent/target/connguard.jar
# The Spring Boot JPA example as Boot deploys it: its start-up is the BootJpa row (StartupTime --boot).
BOOT_JAR=$(ls examples-boot/target/connguard-examples-boot-*.jar 2>/dev/null | head -1)
for f in "$BENCH_JAR" "$PROBE_JAR" "$NOOP_JAR" "$AGENT_JAR"; do
  [ -f "$f" ] || { echo "bench: $f is missing; run make build first" >&2; exit 1; }
done
BOOT_PROBE=""
if [ -n "$BOOT_JAR" ]; then
  BOOT_PROBE="--boot $BOOT_JAR"
else
  echo "bench: examples-boot/target/connguard-examples-boot-*.jar is missing (make build makes it); no BootJpa start-up row" >&2
fi

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  DEFAULT_OPTS="-f 1 -wi 1 -w 500ms -i 3 -r 500ms -prof gc"
  DEFAULT_RUNS=3
  DEFAULT_CYCLES=3
else
  DEFAULT_OPTS="-f 2 -wi 5 -w 1s -i 5 -r 1s -prof gc"
  DEFAULT_RUNS=10
  DEFAULT_CYCLES=10
fi
OPTS=${BENCH_OPTS:-$DEFAULT_OPTS}
RUNS=${BENCH_STARTUP_RUNS:-$DEFAULT_RUNS}
CYCLES=${BENCH_FAILOVER_CYCLES:-$DEFAULT_CYCLES}
AGENT="-javaagent:$AGENT_JAR${BENCH_AGENT_ARGS:+=$BENCH_AGENT_ARGS}"
# Other work on the machine skews every arm differently. BENCH_WAIT_LOAD=1.0 waits (at most
# ten minutes) until the 1-minute load average is below 1.0; either way a busy machine is named.
if [ -n "${BENCH_WAIT_LOAD:-}" ]; then
  waited=0
  while [ "$waited" -lt 600 ] && awk -v max="$BENCH_WAIT_LOAD" '{ exit !($1 >= max) }' /proc/loadavg; do
    [ "$waited" = 0 ] && echo "bench: waiting for load average < $BENCH_WAIT_LOAD (now $(cut -d' ' -f1 /proc/loadavg))"
    sleep 10
    waited=$((waited + 10))
  done
fi
if awk -v cores="$(nproc)" '{ exit !($1 > cores / 2) }' /proc/loadavg; then
  echo "bench: WARNING load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores: expect noisy numbers" >&2
fi

FLOOR_ARMS=""
if [ "${BENCH_FLOOR:-0}" = 1 ]; then
  FLOOR_ARMS="floor-crossings=$AGENT -Dbench.floor=CROSSINGS|floor-state=$AGENT -Dbench.floor=STATE"
fi

OUT=bench/target/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "java:    $("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}') ($JAVA)"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load at start $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- agent 2>/dev/null || echo ' (agent/ modified)')"
  echo "jmh:     $OPTS"
  echo "arms:    none | noop=-javaagent:$NOOP_JAR | ${FLOOR_ARMS:+$FLOOR_ARMS | }connguard=$AGENT"
} > "$OUT/env.txt"
cat "$OUT/env.txt"

# The JMH log is long; it is the record. Live, only progress lines; the tables come at the end.
# A pipe would hide java's exit code, so it goes through a file.
# shellcheck disable=SC2086  # OPTS is a list of JMH options
# The floor arms' options contain blanks: split on '|' alone.
OLD_IFS=$IFS
IFS='|'
# shellcheck disable=SC2086
set -- $FLOOR_ARMS
IFS=$OLD_IFS
{ "$JAVA" -cp "$BENCH_JAR" connguard.bench.ArmComparison "$OUT" \
    "none=" "noop=-javaagent:$NOOP_JAR" "$@" "connguard=$AGENT" -- $OPTS 2>&1; echo $? > "$OUT/jmh.rc"; } \
  | tee "$OUT/jmh.log" | grep --line-buffered -E '^==== round|^# Run progress|skipped:|ERROR' || true
if [ "$(cat "$OUT/jmh.rc")" != 0 ]; then
  tail -40 "$OUT/jmh.log" >&2
  echo "bench: JMH failed, see $OUT/jmh.log" >&2
  exit 1
fi

if [ "$RUNS" -gt 0 ]; then
  # shellcheck disable=SC2086  # BOOT_PROBE is "--boot JAR" or nothing
  # hook: the no-op agent with a transformer that changes nothing, the floor of any agent that
  # weaves classes as they load (the JVM hands it every class).
  "$JAVA" -cp "$BENCH_JAR" connguard.bench.StartupTime "$OUT" "$PROBE_JAR" "$RUNS" $BOOT_PROBE \
      "none=" "noop=-javaagent:$NOOP_JAR" "hook=-javaagent:$NOOP_JAR=transformer" "connguard=$AGENT" \
      > "$OUT/startup.log" 2>&1 \
    || { tail -40 "$OUT/startup.log" >&2; echo "bench: startup timing failed, see $OUT/startup.log" >&2; exit 1; }
fi

# Heap retained per open connection and statement: exact (serial GC), so three runs suffice.
"$JAVA" -cp "$BENCH_JAR" connguard.bench.Footprint "$OUT" "$PROBE_JAR" 3 \
    "none=" "noop=-javaagent:$NOOP_JAR" "connguard=$AGENT" > "$OUT/footprint.log" 2>&1 \
  || { tail -40 "$OUT/footprint.log" >&2; echo "bench: footprint failed, see $OUT/footprint.log" >&2; exit 1; }

# Failovers of servers of its own: from promotion to the app's first acknowledged write.
if [ "$CYCLES" -gt 0 ]; then
  echo "load before failovers: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
  "$JAVA" -cp "$BENCH_JAR" connguard.bench.FailoverTime "$OUT" "$CYCLES" "none=" "connguard=$AGENT" \
      > "$OUT/failover.log" 2>&1 \
    || { tail -40 "$OUT/failover.log" >&2; echo "bench: failover timing failed, see $OUT/failover.log" >&2; exit 1; }
fi

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
echo
cat "$OUT/env.txt"
echo
echo "== JDBC calls (JMH, ns/op, lower is better)"
cat "$OUT/table.md"
if [ "$RUNS" -gt 0 ]; then
  echo
  echo "== Startup (ms)"
  cat "$OUT/startup.md"
fi
echo
echo "== Memory (bytes retained per object)"
cat "$OUT/footprint.md"
if [ "$CYCLES" -gt 0 ]; then
  echo
  echo "== Failover: promotion to the first acknowledged write (ms)"
  cat "$OUT/failover.md"
fi
echo
echo "bench: results in $OUT"
