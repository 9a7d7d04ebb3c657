# connguard: every target wraps Maven. `make build` leaves agent/target/connguard.jar.
MVN ?= mvn -B -q
JAR := agent/target/connguard.jar

.PHONY: build test unit demo clean

build:
	$(MVN) install -DskipTests

# Unit tests, then the agent tests (child JVMs with -javaagent against real databases).
test:
	$(MVN) install

# Unit tests of the agent only: no database, no child JVM.
unit:
	$(MVN) -pl agent test

clean:
	$(MVN) clean
