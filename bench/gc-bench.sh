#!/usr/bin/env bash
# Times garbage collection over a filesystem registry of many small blobs (default 100 000).
# Usage: bench/gc-bench.sh [BLOBS] [DIR]   (run from the repository root after `mvn install`)
set -euo pipefail
blobs="${1:-100000}"
dir="${2:-$(mktemp -d)}"
mvn -q -B -o -pl oci-registry-app test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cp="$(cat oci-registry-app/target/bench-cp.txt):oci-registry-app/target/test-classes:oci-registry-app/target/classes"
java -cp "$cp" io.ocireg.server.bench.GcBenchmark "$dir" "$blobs"
