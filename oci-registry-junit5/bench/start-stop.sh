#!/usr/bin/env bash
# Start-to-ready and close of an in-process registry, in several fresh JVMs (each JVM's first
# start is the cold one). Usage: bench/start-stop.sh [JVMS] [RUNS_PER_JVM] [--after-classpath-scan].
# Prints one line per JVM, then the median and range of the first starts across JVMs and the load
# average before and after. Extra JVM options go in JAVA_OPTS (e.g. -Docireg.preload=false).
# Not part of the build.
set -euo pipefail
cd "$(dirname "$0")/.."
jvms=${1:-5}
runs=${2:-200}
scan=${3:-}
mvn -q -B -o test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$jvms"); do
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.ocireg.junit5.bench.StartStopBenchmark "$runs" $scan
done | tee target/bench-start-stop.txt
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The first start of each JVM: wall, CPU of all threads, CPU of the calling thread (ms).
sed -E 's/^first start-to-ready ([0-9.]+) ms \(cpu ([0-9]+) ms, calling thread ([0-9]+) ms\).*/\1 \2 \3/' \
  target/bench-start-stop.txt | sort -n | awk '
    { w[NR] = $1; c[NR] = $2; t[NR] = $3 }
    function median(a, n,   s, i, j, x) {
      for (i = 1; i <= n; i++) s[i] = a[i]
      for (i = 2; i <= n; i++) { x = s[i]; for (j = i - 1; j > 0 && s[j] > x; j--) s[j + 1] = s[j]; s[j + 1] = x }
      return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
    }
    END {
      printf "first start-to-ready over %d JVMs: median %.0f ms (%.0f-%.0f ms);", NR, median(w, NR), w[1], w[NR]
      printf " cpu median %.0f ms, calling thread median %.0f ms\n", median(c, NR), median(t, NR)
    }'
