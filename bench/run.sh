#!/usr/bin/env bash
# Measures `pedigree digest` against `openssl dgst -sha256` and `sha256sum`
# in one run on this machine, and prints the ratios next to the targets:
#   one big file       pedigree >= 0.90 x openssl's throughput
#   many files         all cores >= 1.7 x one worker (on 2 cores)
#   a multi-GiB file   peak memory < 64 MiB
# then the Go benchmarks comparing dirHash1 with golang.org/x/mod's dirhash
# (and their ratio), and the other scripts here: attest.sh, lock-check.sh,
# verify.sh and store.sh.
#
# Every timing is the best of BENCH_RUNS runs (default 5), the commands
# interleaved so that load from elsewhere hits them alike; caches are warm.
# Data is generated into a temporary directory, removed at exit.
# Knobs: BENCH_RUNS, BENCH_BIG_MIB (1024), BENCH_FILES (20000),
# BENCH_SPARSE_GIB (4), BENCH_LOCK_FILES (1000), BENCH_LOCK_KIB (64), and
# those of bench/verify.sh and bench/store.sh.
# Needs bash, go, awk, openssl and sha256sum; GNU time (/usr/bin/time) for
# memory figures.
set -euo pipefail

BEST_OF=${BENCH_RUNS:-5}
BIG_MIB=${BENCH_BIG_MIB:-1024}
FILES=${BENCH_FILES:-20000}
SPARSE_GIB=${BENCH_SPARSE_GIB:-4}
LOCK_FILES=${BENCH_LOCK_FILES:-1000}
LOCK_KIB=${BENCH_LOCK_KIB:-64}

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/pedigree-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

for tool in go awk openssl sha256sum; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
gnutime=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	gnutime=/usr/bin/time
fi

pedigree=$work/pedigree
go build -trimpath -o "$pedigree" ./cmd/pedigree

echo "== machine"
echo "cpu:      $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m), $(getconf _NPROCESSORS_ONLN) cores$(grep -qw sha_ni /proc/cpuinfo 2>/dev/null && echo ', SHA-NI')"
echo "system:   $(uname -sr); $(go version | cut -d' ' -f3-); $(openssl version | cut -d' ' -f1-2); $(sha256sum --version | head -1)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) (1, 5, 15 min) at start"

echo "== data (in $work)"
go run ./bench/gendata -out "$work/data" -big-mib "$BIG_MIB" -files "$FILES" >"$work/gendata.txt"
big=$work/data/big.bin
tree=$work/data/tree
tree_bytes=$(sed -n 's/.*tree_bytes=\([0-9]*\).*/\1/p' "$work/gendata.txt")
big_bytes=$((BIG_MIB << 20))
echo "big.bin:  $BIG_MIB MiB of pseudo-random bytes"
echo "tree/:    $FILES files, $((tree_bytes >> 20)) MiB, mixed sizes (80% < 16 KiB, 1% > 256 KiB), up to 1,000 directories"
# Warm the page cache: the figures compare hashing, not the disk.
cat "$big" >/dev/null
find "$tree" -type f -print0 | xargs -0 cat >/dev/null

# Each command has a key; secs[key] keeps its best wall time, rss[key] the
# peak resident memory (KiB) of that run.
declare -A cmds secs rss
order=()
add() { local key=$1; shift; cmds[$key]=$*; order+=("$key"); }

add openssl      "openssl dgst -sha256 '$big'"
add sha256sum    "sha256sum '$big'"
add pedigree     "'$pedigree' digest '$big'"
add pedigree2alg "'$pedigree' digest -a sha256,sha512 '$big'"
add tree_j1      "'$pedigree' digest --jobs 1 '$tree'"
add tree_all     "'$pedigree' digest '$tree'"
add tree_dirhash "'$pedigree' digest --dir-hash '$tree'"
add tree_sha256sum "find '$tree' -type f -print0 | xargs -0 sha256sum"
add tree_sha256sum_p "find '$tree' -type f -print0 | xargs -0 -P $(getconf _NPROCESSORS_ONLN) -n 1000 sha256sum"
add tree_openssl "find '$tree' -type f -print0 | xargs -0 openssl dgst -sha256"

now() { date +%s%N; }
run_once() {
	local key=$1 t0 t1 s kib=
	t0=$(now)
	if [ -n "$gnutime" ]; then
		$gnutime -f %M -o "$work/rss" sh -c "${cmds[$key]}" >/dev/null
		kib=$(tail -1 "$work/rss")
	else
		sh -c "${cmds[$key]}" >/dev/null
	fi
	t1=$(now)
	s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
	if [ -z "${secs[$key]:-}" ] || awk -v n="$s" -v o="${secs[$key]}" 'BEGIN { exit !(n < o) }'; then
		secs[$key]=$s
		rss[$key]=${kib:-}
	fi
}

echo "== timing: best of $BEST_OF, interleaved"
for ((i = 1; i <= BEST_OF; i++)); do
	for key in "${order[@]}"; do run_once "$key"; done
	printf '.'
done
echo

mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%7.0f MB/s", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == ">=") ? (r >= t) : (r < t); print (ok ? "meets" : "BELOW") " target " dir " " t }'; }
row() { printf '  %-44s %7.3f s  %s  %s\n' "$1" "${secs[$2]}" "$(mbs "$3" "${secs[$2]}")" "${rss[$2]:+peak ${rss[$2]} KiB}"; }

echo
echo "== one big file ($BIG_MIB MiB)"
row "openssl dgst -sha256"             openssl      "$big_bytes"
row "sha256sum"                        sha256sum    "$big_bytes"
row "pedigree digest"                  pedigree     "$big_bytes"
row "pedigree digest -a sha256,sha512" pedigree2alg "$big_bytes"
r_big=$(ratio "${secs[openssl]}" "${secs[pedigree]}")
echo "  pedigree / openssl throughput:   $r_big  ($(verdict "$r_big" 0.90 ">="))"
echo "  pedigree / sha256sum throughput: $(ratio "${secs[sha256sum]}" "${secs[pedigree]}")"

echo
echo "== many files ($FILES files, $((tree_bytes >> 20)) MiB)"
row "pedigree digest --jobs 1"                 tree_j1          "$tree_bytes"
row "pedigree digest (one worker per core)"    tree_all         "$tree_bytes"
row "pedigree digest --dir-hash"               tree_dirhash     "$tree_bytes"
row "find | xargs sha256sum"                   tree_sha256sum   "$tree_bytes"
row "find | xargs -P cores sha256sum"          tree_sha256sum_p "$tree_bytes"
row "find | xargs openssl dgst -sha256"        tree_openssl     "$tree_bytes"
r_many=$(ratio "${secs[tree_j1]}" "${secs[tree_all]}")
echo "  all cores / one worker:          $r_many  ($(verdict "$r_many" 1.7 ">="))"
echo "  pedigree / xargs sha256sum:      $(ratio "${secs[tree_sha256sum]}" "${secs[tree_all]}")"
echo "  pedigree / xargs openssl:        $(ratio "${secs[tree_openssl]}" "${secs[tree_all]}")"

echo
echo "== memory: a $SPARSE_GIB GiB file (sparse: no disk used)"
sparse=$work/sparse.bin
truncate -s "${SPARSE_GIB}G" "$sparse"
if [ -n "$gnutime" ]; then
	t0=$(now)
	$gnutime -f %M -o "$work/rss" "$pedigree" digest "$sparse" >/dev/null
	t1=$(now)
	kib=$(tail -1 "$work/rss")
	echo "  pedigree digest: peak $kib KiB ($((kib / 1024)) MiB) in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }') s  ($(verdict "$((kib / 1024))" 64 "<") MiB)"
	echo "  (the $BIG_MIB MiB file above: peak ${rss[pedigree]} KiB)"
else
	echo "  skipped: GNU time (/usr/bin/time) is not installed"
fi

echo
echo "== Go benchmarks: dirHash1, pedigree (parallel) vs golang.org/x/mod dirhash (serial), same tree"
go test ./bench -run TestDirHash1Agrees -bench 'DirHash1' -benchtime 3x -count 1 -tree "$tree" -big "$big" |
	grep -E '^(Benchmark|ok|FAIL|---)' >"$work/dirhash.txt"
sed 's/^/  /' "$work/dirhash.txt"
awk '/^BenchmarkDirHash1\/pedigree/ { p = $3 } /^BenchmarkDirHash1\/x-mod-dirhash/ { x = $3 }
	END { if (p > 0 && x > 0) printf "  pedigree / x/mod dirhash throughput: %.2f\n", x / p }' "$work/dirhash.txt"

echo
echo "== attest: 10,000 subjects from stdin (bench/attest.sh)"
./bench/attest.sh "$pedigree" | sed 's/^/  /'

echo
echo "== lock check: a generated wheelhouse, against sha256sum and pedigree digest (bench/lock-check.sh)"
./bench/lock-check.sh "$pedigree" "$LOCK_FILES" "$LOCK_KIB" | sed 's/^/  /'

echo
echo "== verify: one-shot wall time, and 1,000 bundles on 1 and 2 workers (bench/verify.sh)"
if [ -d ../shared/vectors ]; then
	./bench/verify.sh "$pedigree" | sed 's/^/  /'
else
	echo "  skipped: needs ../shared/vectors beside this checkout"
fi

echo
echo "== store: ${STORE_N:-100000} verified ingests and random lookups, SQLite and PostgreSQL (bench/store.sh)"
./bench/store.sh "$pedigree" | sed 's/^/  /'

echo
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a) at end (above the core count, the figures understate pedigree's parallel speed)"
