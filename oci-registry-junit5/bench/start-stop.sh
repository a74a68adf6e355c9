#!/usr/bin/env bash
# Start-to-ready and close of an in-process registry, in several fresh JVMs (each JVM's first
# start is the cold one). Usage: bench/start-stop.sh [JVMS] [RUNS_PER_JVM]. Not part of the build.
set -euo pipefail
cd "$(dirname "$0")/.."
jvms=${1:-5}
runs=${2:-200}
mvn -q -B -o test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
for _ in $(seq "$jvms"); do
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.ocireg.junit5.bench.StartStopBenchmark "$runs"
done
