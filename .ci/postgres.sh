# shellcheck shell=bash
# Install Debian's PostgreSQL if missing, start a throwaway cluster on a loopback port,
# export WALLETSUPPORT_TEST_POSTGRES_DSN for the tests, and stop the cluster on exit.
start_throwaway_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  local port="${WALLETSUPPORT_PG_PORT:-55432}"
  PGTMP=$(mktemp -d /tmp/walletsupport-pg.XXXXXX)
  chown postgres:postgres "$PGTMP" 2>/dev/null || true
  local as_pg=()
  if [ "$(id -u)" = "0" ]; then as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$bindir/initdb" -D "$PGTMP/data" -U walletsupport --auth=trust -E UTF8 >/dev/null
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PGTMP -c fsync=off" start >/dev/null
  "${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U walletsupport walletsupport_test
  export WALLETSUPPORT_TEST_POSTGRES_DSN="postgresql://walletsupport@127.0.0.1:$port/walletsupport_test"
  # shellcheck disable=SC2064
  trap "${as_pg[*]} $bindir/pg_ctl -D $PGTMP/data -m immediate stop >/dev/null 2>&1 || true" EXIT
}
