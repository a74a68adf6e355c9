#!/usr/bin/env bash
# Times MetadataStore.listRepositories (what GET /v2/_catalog?n=50 asks of the storage) on a
# filesystem root of many repositories (default 10 000: team-N/app-M and lib-N): first, middle and
# last page of 50, median and p95 over ROUNDS calls, next to a whole-tree walk that sorts and cuts.
# Usage: bench/catalog.sh [REPOS] [DIR] [ROUNDS]   (run from the repository root after `mvn install`)
set -euo pipefail
repos="${1:-10000}"
dir="${2:-$(mktemp -d)}"
rounds="${3:-50}"
mvn -q -B -o -pl oci-storage-fs test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cp="$(cat oci-storage-fs/target/bench-cp.txt):oci-storage-fs/target/test-classes:oci-storage-fs/target/classes"
uptime
java -cp "$cp" io.ocireg.storage.fs.CatalogBenchmark "$dir" "$repos" "$rounds"
uptime
