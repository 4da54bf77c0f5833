#!/usr/bin/env bash
# The README's first command runs this: pedigree end to end on examples/demo,
# in a scratch directory so the checkout stays clean.
set -euo pipefail
bin=$(cd "$(dirname "${1:-bin/pedigree}")" && pwd)/$(basename "${1:-bin/pedigree}")
demo=$(cd "$(dirname "$0")/demo" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1767225600
cd "$demo"

# pedigree ARGS... prints the command as a user would type it, then runs it.
pedigree() { printf '\n$ pedigree %s\n' "$*"; "$bin" "$@"; }

pedigree version
pedigree lock check requirements.txt wheelhouse/
pedigree inspect dist/pedigree_demo-0.1.0-py3-none-any.whl
