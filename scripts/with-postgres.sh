#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: scripts/with-postgres.sh COMMAND [ARG...]
#
# Makes a cluster in a temporary folder, starts it on 127.0.0.1 at a random free port, creates the
# role kenesh_desk and its database, exports KENESH_DESK_DATABASE_URL, runs the command, then always
# stops the server and removes the folder. Exits with the command's status. The role is no superuser,
# as in production, but may create databases: pytest-django creates test_kenesh_desk itself.
# PostgreSQL refuses to run as root: as root the server runs as the system user `postgres` (made by
# Debian's package) or else `nobody`. The binaries come from PATH or /usr/lib/postgresql/*/bin
# (Debian keeps initdb off PATH); install them with `apt-get install postgresql`.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

bindir() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"  # the real folder: it has psql and pg_ctl too
  else
    find /usr/lib/postgresql/*/bin -maxdepth 0 2>/dev/null | sort -V | tail -n 1
  fi
}
BIN=$(bindir)
for tool in initdb pg_ctl postgres psql; do
  [ -x "$BIN/$tool" ] || { echo "PostgreSQL's $tool not found: sudo apt-get install postgresql" >&2; exit 1; }
done

SERVER_USER=""
if [ "$(id -u)" = 0 ]; then
  SERVER_USER=$(getent passwd postgres >/dev/null && echo postgres || echo nobody)
fi
RUNUSER=$(command -v runuser || echo /usr/sbin/runuser)  # util-linux; /usr/sbin may be off PATH
as_server() { if [ -n "$SERVER_USER" ]; then "$RUNUSER" -u "$SERVER_USER" -- "$@"; else "$@"; fi; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/kenesh-postgres.XXXXXX")
[ -z "$SERVER_USER" ] || chown "$SERVER_USER" "$DIR"
cleanup() {
  [ ! -f "$DIR/data/postmaster.pid" ] || as_server "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Passwords, although the server is throwaway: while it runs, any local user could reach the port.
secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
ADMIN_PASSWORD=$(secret)
DESK_PASSWORD=$(secret)
(umask 077 && echo "$ADMIN_PASSWORD" >"$DIR/admin-password")
[ -z "$SERVER_USER" ] || chown "$SERVER_USER" "$DIR/admin-password"
as_server "$BIN/initdb" -D "$DIR/data" -U postgres --auth=scram-sha-256 --pwfile="$DIR/admin-password" \
  --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
# Durability is worth nothing here; speed is (the data dies with the folder).
cat >>"$DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

started=""
for _ in 1 2 3 4 5; do  # a random port; another one if it is taken
  PORT=$((20000 + RANDOM % 30000))
  if as_server "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -o "-p $PORT" -w -t 60 start >/dev/null 2>&1; then
    started=yes
    break
  fi
done
[ -n "$started" ] || { echo "PostgreSQL did not start:" >&2; cat "$DIR/server.log" >&2; exit 1; }

admin_sql() { PGPASSWORD=$ADMIN_PASSWORD "$BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"; }
admin_sql -c "CREATE ROLE kenesh_desk LOGIN CREATEDB PASSWORD '$DESK_PASSWORD'" \
  -c "CREATE DATABASE kenesh_desk OWNER kenesh_desk"
echo "PostgreSQL $(admin_sql -c 'SHOW server_version') on 127.0.0.1:$PORT (throwaway, in $DIR${SERVER_USER:+, run by $SERVER_USER})"

export KENESH_DESK_DATABASE_URL="postgresql://kenesh_desk:$DESK_PASSWORD@127.0.0.1:$PORT/kenesh_desk"
set +e
"$@"
status=$?
set -e
exit $status
