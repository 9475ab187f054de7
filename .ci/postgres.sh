# shellcheck shell=bash
# Install Debian's PostgreSQL if missing, start a throwaway cluster on a loopback port under
# $CI_TMP (see lib.sh), export WALLETSUPPORT_TEST_POSTGRES_DSN for the tests, and stop the
# cluster on exit (lib.sh then removes its folder).
start_throwaway_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
    if [ -z "${CI_APT_UPDATED:-}" ]; then apt-get update -qq; CI_APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  local port="${WALLETSUPPORT_PG_PORT:-55432}"
  local pgtmp="$CI_TMP/pg"
  mkdir -p "$pgtmp"
  chown postgres:postgres "$pgtmp" 2>/dev/null || true
  local as_pg=()
  if [ "$(id -u)" = "0" ]; then as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$bindir/initdb" -D "$pgtmp/data" -U walletsupport --auth=trust -E UTF8 >/dev/null
  on_exit "${as_pg[*]} $bindir/pg_ctl -D $pgtmp/data -m immediate stop"
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$pgtmp/data" -l "$pgtmp/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pgtmp -c fsync=off" start >/dev/null
  "${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U walletsupport walletsupport_test
  export WALLETSUPPORT_TEST_POSTGRES_DSN="postgresql://walletsupport@127.0.0.1:$port/walletsupport_test"
}
