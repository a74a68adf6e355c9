#!/usr/bin/env bash
# Times GET /api/repos of the web UI (first page, a later page, a search; 50 rows each) over HTTP
# against a filesystem registry of many repositories (default 10 000), each one tagged image.
# Plus one repository (team-050/big) of BIG_TAGS tags (default 100 000) on one image.
# Usage: bench/ui-repos.sh [REPOS] [DIR] [ROUNDS] [BIG_TAGS]   (from the repository root, after
# `mvn install`; BENCH_JAVA_OPTS=-Xmx256m to bound the heap)
set -euo pipefail
repos="${1:-10000}"
dir="${2:-$(mktemp -d)}"
rounds="${3:-50}"
mvn -q -B -o -pl oci-registry-ui test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cp="$(cat oci-registry-ui/target/bench-cp.txt):oci-registry-ui/target/test-classes:oci-registry-ui/target/classes"
java ${BENCH_JAVA_OPTS:-} -cp "$cp" io.ocireg.ui.ReposBenchmark "$dir" "$repos" "$rounds" "${4:-100000}"
