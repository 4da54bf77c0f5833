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

# The release's subjects: sha256sum lines (sha256sum -c checks them, from
# dist/), and the same as slsa-github-generator's base64-subjects.
pedigree digest dist
pedigree digest --format base64 'dist/*'

# attest: SLSA v1 provenance for the wheel and sdist, in the scratch directory
# so the checkout stays clean. Without a key the statement is unsigned (and
# attest says so); with a key from keygen it is a signed DSSE envelope.
(
	cp -R dist "$work/" && cd "$work"
	pedigree attest dist/*
	pedigree keygen -o release
	pedigree attest --key release.key -o demo.intoto.jsonl dist/
	pedigree attest --key release.key --bundle dist/pedigree_demo-0.1.0-py3-none-any.whl
)

# serve: an attestation store (SQLite) trusting the release key, on a free
# loopback port. push sends the provenance, which the store verifies before
# keeping it; verify --server then finds it by the artifacts' digests.
(
	cd "$work"
	printf '\n$ pedigree serve token create --db sqlite:store.db --name demo >token.txt\n'
	"$bin" serve token create --db sqlite:store.db --name demo >token.txt
	export PEDIGREE_STORE_TOKEN=$(tail -n 1 token.txt)
	printf '\n$ pedigree serve --db sqlite:store.db --key release.pub --listen 127.0.0.1:0 &\n'
	"$bin" serve --db sqlite:store.db --key release.pub --listen 127.0.0.1:0 2>serve.log &
	server=$!
	url=
	for _ in $(seq 100); do
		url=$(grep -o 'url=http://[0-9.:]*' serve.log | cut -d= -f2 || true)
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { cat serve.log >&2; kill "$server"; exit 1; }
	pedigree push --server "$url" demo.intoto.jsonl
	pedigree verify --server "$url" --key release.pub dist/pedigree_demo-0.1.0-py3-none-any.whl dist/pedigree_demo-0.1.0.tar.gz
	kill -TERM "$server"
	wait "$server"
	cat serve.log
)
