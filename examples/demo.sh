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

# lock check: the wheelhouse against the hash-locked requirements, as pip
# --require-hashes checks it before anything is installed.
pedigree lock check requirements.txt wheelhouse/
# inspect: what the built wheel declares, with its RECORD verified.
pedigree inspect dist/pedigree_demo-0.1.0-py3-none-any.whl

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

	# verify: offline, against the release key: every artifact must be a
	# subject of a signed attestation (a directory holds several); a file
	# changed after the build no longer verifies (exit 1).
	pedigree verify --key release.pub --provenance demo.intoto.jsonl dist/*
	pedigree verify --key release.pub --provenance . dist/pedigree_demo-0.1.0-py3-none-any.whl
	echo tampered >>dist/pedigree_demo-0.1.0.tar.gz
	pedigree verify --key release.pub --provenance demo.intoto.jsonl dist/* || echo "exit $?: the sdist changed after it was attested"
)

# SBOMs of the project, its lock file (requirements.txt), its built wheel
# and sdist (dist/) and its dependency's wheel (wheelhouse/), both formats;
# then the SBOM as a signed in-toto statement about the wheel and sdist (the
# key is the one keygen wrote above).
cp -R dist wheelhouse pyproject.toml README.md requirements.txt "$work/"
(
	cd "$work"
	pedigree sbom --dist dist --dist wheelhouse -o pedigree-demo.cdx.json
	pedigree sbom --dist dist --dist wheelhouse -o pedigree-demo.spdx.json
	pedigree sbom --dist dist --dist wheelhouse --attest --key release.key -o pedigree-demo.cdx.intoto.jsonl
)

# Release evidence (docs/evidence.md): SBOMs, signed provenance (the key
# keygen wrote above), a dpone-style HMAC envelope, an index and a summary in
# one folder; then an auditor's check.
(
	cd "$work"
	export PEDIGREE_HMAC_KEY=demo-secret
	pedigree evidence create --release v0.1.0 --subject 'dist/*' --lock requirements.txt \
		--repository https://github.com/pedigree-dev/pedigree-demo --commit-sha 6f1c3e1a0b9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e \
		--key release.key --hmac-key-env PEDIGREE_HMAC_KEY --hmac-key-id demo-ci
	pedigree evidence verify evidence/v0.1.0 --key release.pub --hmac-key-env PEDIGREE_HMAC_KEY \
		--subject dist/pedigree_demo-0.1.0-py3-none-any.whl --subject dist/pedigree_demo-0.1.0.tar.gz
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
