#!/usr/bin/env bash
# Times `pedigree attest` on 10,000 subjects whose hashes are given (a
# sha256sum list on stdin): statement generation without and with one
# Ed25519 / ECDSA P-256 signature. Usage: bench/attest.sh [bin/pedigree]
set -euo pipefail
bin=$(cd "$(dirname "${1:-bin/pedigree}")" && pwd)/$(basename "${1:-bin/pedigree}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export SOURCE_DATE_EPOCH=1767225600

for i in $(seq 1 10000); do
	printf '%064x  dist/pkg_%05d-1.0.0-py3-none-any.whl\n' "$i" "$i"
done > sums.txt
"$bin" keygen -o ed >/dev/null
"$bin" keygen --algorithm ecdsa-p256 -o p256 >/dev/null

run() {
	local label=$1; shift
	local start end
	start=$(date +%s%N)
	"$bin" attest --subjects-file - --force -o out.intoto.jsonl "$@" <sums.txt >/dev/null 2>&1
	end=$(date +%s%N)
	printf '%-32s %6d ms  %s bytes\n' "$label" $(((end - start) / 1000000)) "$(wc -c <out.intoto.jsonl)"
}

echo "pedigree attest, 10,000 subjects from stdin ($(nproc) cores, $(go env GOARCH 2>/dev/null || uname -m))"
for _ in 1 2 3; do
	run "unsigned statement"
	run "DSSE, Ed25519" --key ed.key
	run "DSSE, ECDSA P-256" --key p256.key
done
