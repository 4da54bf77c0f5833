#!/usr/bin/env bash
# lock check over a generated wheelhouse, next to the hashing tools it should
# be as fast as: sha256sum (one core) and pedigree digest (all cores), with
# its throughput relative to each.
#   bench/lock-check.sh [BIN] [FILES] [KIB_PER_FILE]   (defaults: bin/pedigree 1000 64)
set -euo pipefail
bin=$(cd "$(dirname "${1:-bin/pedigree}")" && pwd)/$(basename "${1:-bin/pedigree}")
n=${2:-1000}
kib=${3:-64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/wheelhouse"
for i in $(seq -w 1 "$n"); do
	head -c $((kib * 1024)) /dev/urandom >"$work/wheelhouse/pkg$i-1.0.0-py3-none-any.whl"
done
(cd "$work/wheelhouse" && sha256sum -- *.whl) |
	sed -E 's/^([0-9a-f]{64})  (pkg[0-9]+)-1\.0\.0-py3-none-any\.whl$/\2==1.0.0 --hash=sha256:\1/' >"$work/requirements.txt"
cat "$work/wheelhouse"/* >/dev/null # warm the page cache

timed() {
	local label=$1
	shift
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	secs=$(echo "$end - $start" | bc)
	printf '%-28s %6.3f s\n' "$label" "$secs"
}
echo "$n files x $kib KiB = $((n * kib / 1024)) MiB on $(nproc) cores ($(uname -m))"
cd "$work"
timed "sha256sum (1 core)" sha256sum wheelhouse/*
t_sum=$secs
timed "pedigree digest" "$bin" digest wheelhouse
t_digest=$secs
timed "pedigree lock check" "$bin" lock check requirements.txt wheelhouse
awk -v s="$t_sum" -v d="$t_digest" -v l="$secs" 'BEGIN {
	printf "lock check / sha256sum throughput:       %.2f\n", s / l
	printf "lock check / pedigree digest throughput: %.2f\n", d / l
}'
