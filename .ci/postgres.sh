#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store's integration tests and
# prints the export line for its URL. Usage:
#   eval "$(.ci/postgres.sh start DIR)"   # sets PEDIGREE_TEST_POSTGRES_URL
#   .ci/postgres.sh stop DIR
# The server binaries come from the machine, or from Debian's postgresql
# package when they are missing. The cluster lives in DIR, listens on
# loopback only, and is owned by the unprivileged postgres user when run as root.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?cluster directory}
port=${PGPORT_TEST:-55432}

bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
  if ! bin=$(bindir); then
    echo "postgres: server binaries missing; installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    bin=$(bindir)
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$dir" postgres
    chown postgres "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >&2
  echo "export PEDIGREE_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'"
  ;;
stop)
  bin=$(bindir) || exit 0
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
