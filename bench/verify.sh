#!/usr/bin/env bash
# Benchmarks for pedigree verify (issue #4):
#   1. one-shot wall time of `pedigree verify` for one bundle, process start to
#      exit (hyperfine when installed, else a date +%s%N loop), on
#      slsa-github-generator's certificate-signed bundle with the built-in
#      public-good trusted root;
#   2. verifications per second for 1,000 bundles in one process on 1 and 2
#      workers (Go benchmark BenchmarkVerifyBatch in ./verify), and the
#      2-worker / 1-worker ratio for certificate- and key-signed bundles.
# Usage: bench/verify.sh [path/to/pedigree]   (builds ./bin/pedigree if absent)
# Knobs: RUNS (50 one-shot runs), BENCHTIME (3x). Needs ../shared/vectors
# beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-bin/pedigree}
if [ ! -x "$BIN" ]; then
	go build -trimpath -o bin/pedigree ./cmd/pedigree
	BIN=bin/pedigree
fi
V=../shared/vectors/slsa-github-generator/gha_generic/v2.1.0
if [ ! -d "$V" ]; then
	echo "bench/verify.sh: needs ../shared/vectors beside this checkout" >&2
	exit 2
fi
CMD=("$BIN" verify --provenance "$V/binary-linux-amd64-push-v14.intoto.jsonl"
	--source-uri github.com/slsa-framework/example-package --source-versioned-tag v14
	"$V/binary-linux-amd64-push-v14")
"${CMD[@]}" >/dev/null

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== one-shot: pedigree verify, one certificate-signed bundle (1.4 MB artifact)"
if command -v hyperfine >/dev/null; then
	hyperfine --warmup 5 --runs "${RUNS:-50}" -N "${CMD[*]}"
else
	n=${RUNS:-50}
	start=$(date +%s%N)
	for _ in $(seq "$n"); do "${CMD[@]}" >/dev/null; done
	end=$(date +%s%N)
	echo "mean: $(((end - start) / n / 1000000)) ms over $n runs"
fi

echo "== batch: 1,000 bundles in one process, 1 and 2 workers"
go test ./verify -run '^$' -bench 'VerifyBatch' -benchtime "${BENCHTIME:-3x}" |
	awk '{ print }
	/^BenchmarkVerifyBatch\// {
		split($1, name, "/"); workers = name[3]; sub(/-[0-9]+$/, "", workers)
		for (i = 2; i < NF; i++) if ($(i + 1) == "verifications/s") rate[name[2], workers] = $i
	}
	END {
		n = split("cert key", kinds, " ")
		for (k = 1; k <= n; k++)
			if (rate[kinds[k], "workers=1"] > 0 && rate[kinds[k], "workers=2"] > 0)
				printf "%s-signed: 2 workers / 1 worker: %.2f\n", kinds[k], rate[kinds[k], "workers=2"] / rate[kinds[k], "workers=1"]
	}'
