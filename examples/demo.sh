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

# SBOMs of the project, its lock file (requirements.txt), its built wheel
# and sdist (dist/) and its dependency's wheel (wheelhouse/), both formats.
pedigree sbom --dist dist --dist wheelhouse -o "$work/pedigree-demo.cdx.json"
pedigree sbom --dist dist --dist wheelhouse -o "$work/pedigree-demo.spdx.json"
