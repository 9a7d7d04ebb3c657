# connguard: every target wraps Maven. `make build` leaves agent/target/connguard.jar.
# MVN runs Maven; QUIET is added where Maven's own progress is noise. `test` and `chaos` stay
# loud: Surefire's per-class "Tests run" lines are the record of what ran.
MVN ?= mvn -B
QUIET ?= -q
JAR := agent/target/connguard.jar

.PHONY: build test unit demo demo-hikari demo-spring demo-boot clean chaos

build:
	$(MVN) $(QUIET) install -DskipTests

# Unit tests, then the agent tests (child JVMs with -javaagent against real databases).
test:
	$(MVN) -Dstyle.color=never install

# Unit tests of the agent only: no database, no child JVM.
unit:
	$(MVN) $(QUIET) -pl agent test

clean:
	$(MVN) $(QUIET) clean

# `make demo`: the batch job of examples/ twice, without and with the agent. Without it the job
# fails after the database restart; that is the point, so it does not fail make. With the agent
# it must finish, or make fails. Extra agent options, comma-separated: make demo DEMO_ARGS=...
JAVA ?= java
DEMO_ARGS ?=
DEMO_OUT := examples/target/demo
DEMO_MAIN := connguard.examples.BatchJobDemo
DEMO_AGENT = -javaagent:$(JAR)=validateIdleAfter=250ms$(if $(strip $(DEMO_ARGS)),$(comma)$(DEMO_ARGS))
comma := ,

demo: build
	$(call run-demo,$(DEMO_MAIN),$(DEMO_OUT))

# `make demo-hikari`: a worker service on a HikariCP pool; `make demo-spring`: a billing run on
# Spring's JdbcTemplate. Same fault and contract as `make demo`: both runs, then their RESULT
# lines side by side; make fails only if the run with the agent fails.
demo-hikari: build
	$(call run-demo,connguard.examples.HikariWorkerDemo,examples/target/demo-hikari)

demo-spring: build
	$(call run-demo,connguard.examples.JdbcTemplateDemo,examples/target/demo-spring)

# `make demo-boot`: a Spring Boot service (JPA on Hibernate, Boot's HikariCP, Flyway) whose
# @Transactional jobs run across the restart; its own module, examples-boot/, so that Boot's
# dependencies stay off the other demos' class path.
demo-boot: build
	$(call run-demo,connguard.examples.boot.BootJobsDemo,examples-boot/target/demo-boot,examples-boot)

# $(1): main class, $(2): prefix of the logs and exit codes it leaves, $(3): its module
# (default examples). Runtime scope: the agent comes only from -javaagent, never the class path.
# Each run: live output, a log for the summary, and the java exit code (a pipe would hide it).
define run-demo
$(MVN) $(QUIET) -pl $(or $(3),examples) dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=$(CURDIR)/$(or $(3),examples)/target/classpath.txt
@cp="$(or $(3),examples)/target/classes:$$(cat $(or $(3),examples)/target/classpath.txt)"; \
echo; echo "== without agent"; \
{ $(JAVA) -cp "$$cp" $(1); echo $$? > $(2)-without.rc; } 2>&1 | tee $(2)-without.log; \
echo; echo "== with agent: $(DEMO_AGENT)"; \
{ $(JAVA) $(DEMO_AGENT) -cp "$$cp" $(1); echo $$? > $(2)-with.rc; } 2>&1 | tee $(2)-with.log; \
echo; \
echo "without agent: $$(grep '^RESULT:' $(2)-without.log || echo "no RESULT line, exit $$(cat $(2)-without.rc)")"; \
echo "with agent:    $$(grep '^RESULT:' $(2)-with.log || echo "no RESULT line, exit $$(cat $(2)-with.rc)")"; \
exit $$(cat $(2)-with.rc)
endef

# `make bench`: JMH benchmarks of the JDBC calls without an agent, with a no-op agent and with
# connguard, then startup times, memory, and failovers of private servers (promotion to the first
# write); prints the tables (details: bench/README.md). 20-35 minutes;
# BENCH_QUICK=1 for a smoke run, BENCH_OPTS for other JMH options.
.PHONY: bench
bench: build
	JAVA=$(JAVA) bench/run.sh

# `make chaos`: ChaosIT (agent-tests, package connguard.it.chaos) in full: PostgreSQL and
# MariaDB, with and without the agent, with and without HikariCP, CHAOS_SECONDS each (20 runs)
# while the test kills, cuts, refuses, blackholes, slows and idles their connections; 6 of the
# runs use a private server of their own that the test also restarts and crashes, 6 more fail
# over (PostgreSQL switchovers behind a VIP, MariaDB set read-only). Fails if any
# run duplicated or lost a write, half-committed a transaction, leaked a backend or hung. The
# table: agent-tests/target/chaos-report.txt.
CHAOS_SECONDS ?= 45
chaos: build
	@rc=0; $(MVN) -Dstyle.color=never -pl agent-tests test -Dtest=ChaosIT -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dchaos.full=true -Dchaos.seconds=$(CHAOS_SECONDS) || rc=$$?; \
	cat agent-tests/target/chaos-report.txt 2>/dev/null; exit $$rc
