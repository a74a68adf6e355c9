#!/usr/bin/env bash
# Regenerates the list of classes OciRegistryServer preloads on a background thread (see
# ClassPreloader in oci-registry-app): those a fresh JVM loads, in order, for its first start and
# first request, from the registry's own jars, Jetty, the servlet API, slf4j-api and the JDK (none
# from the JDK's shared archive, none generated at run time). Run after upgrading Jetty or the JDK,
# or after changing what a start does, then rebuild oci-registry-app. Not part of the build.
set -euo pipefail
cd "$(dirname "$0")/.."
list=../oci-registry-app/src/main/resources/io/ocireg/server/preload-classes.txt
mvn -q -B -o test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
log=target/preload-class-load.log
java -Docireg.preload=false -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Xlog:class+load=info:file="$log" -cp "$cp" io.ocireg.junit5.bench.StartStopBenchmark 2 >/dev/null
# From the benchmark's first use of OciRegistryServer on; the fields are "[uptime] name source: x".
awk '
  started && $0 !~ /shared objects file/ && $2 !~ /0x|\$\$Lambda|ClassPreloader/ &&
  $0 ~ /source: (jrt:\/|.*\/(oci-[a-z0-9-]+|jetty-[a-z0-9-]+|jakarta\.servlet-api|slf4j-api)-[^\/]*\.jar$)/ &&
  !seen[$2]++ { print $2 }
  $2 == "io.ocireg.server.OciRegistryServer" { started = 1 }
' "$log" >"$list"
echo "$(wc -l <"$list") classes in $list"
