#!/usr/bin/env bash
# The attestation store's load test (bench/storeload) on loopback, once on
# SQLite and once on PostgreSQL: 100,000 key-signed attestations ingested
# through the HTTP API (each verified), then 20,000 lookups of random
# digests. Targets on a 2-core machine: >= 1,000 verified ingests/s, lookup
# p99 < 5 ms at 100,000 records.
#
# PostgreSQL: the cluster PEDIGREE_TEST_POSTGRES_URL names, else a throwaway
# one started with .ci/postgres.sh (fsync off, as for tests: the figure is an
# upper bound for a durable cluster). Usage: bench/store.sh [bin/pedigree]
# Knobs: STORE_N (100000), STORE_LOOKUPS (20000), STORE_CLIENTS (16).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/bin/pedigree}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/pedigree-store-bench.XXXXXX")
cluster=
cleanup() {
	[ -n "$cluster" ] && .ci/postgres.sh stop "$cluster" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
[ -x "$bin" ] || go build -trimpath -o "$bin" ./cmd/pedigree
args=(-pedigree "$bin" -n "${STORE_N:-100000}" -lookups "${STORE_LOOKUPS:-20000}" -c "${STORE_CLIENTS:-16}")
go build -o "$work/storeload" ./bench/storeload

echo "== SQLite (WAL, synchronous=FULL)"
"$work/storeload" "${args[@]}" -db "sqlite:$work/store.db"

echo
echo "== PostgreSQL"
base=${PEDIGREE_TEST_POSTGRES_URL:-}
if [ -z "$base" ]; then
	cluster=$work/pg
	chmod 755 "$work"
	eval "$(.ci/postgres.sh start "$cluster")"
	base=$PEDIGREE_TEST_POSTGRES_URL
fi
db=pedigree_bench_$$
psql "$base" -qc "CREATE DATABASE $db"
url=${base/\/postgres\?/\/$db?}
"$work/storeload" "${args[@]}" -db "$url" || { psql "$base" -qc "DROP DATABASE $db"; exit 1; }
psql "$base" -qc "DROP DATABASE $db"
