#!/usr/bin/env bash
# Installs what pgwatch's demo and tests need, and nothing when it is already there:
# the PostgreSQL server with HypoPG and pg_qualstats and npm (Debian packages, only as
# root), and a virtual environment in .venv with pgwatch and its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_MAJOR=${PGWATCH_PG_MAJOR:-15}
need_pkgs=()

have_server() { [ -x "/usr/lib/postgresql/$PG_MAJOR/bin/initdb" ]; }
have_hypopg() { [ -f "/usr/share/postgresql/$PG_MAJOR/extension/hypopg.control" ]; }
have_qualstats() { [ -f "/usr/share/postgresql/$PG_MAJOR/extension/pg_qualstats.control" ]; }

have_server || need_pkgs+=("postgresql-$PG_MAJOR" "postgresql-contrib")
have_hypopg || need_pkgs+=("postgresql-$PG_MAJOR-hypopg")
have_qualstats || need_pkgs+=("postgresql-$PG_MAJOR-pg-qualstats")
python3 -c 'import ensurepip, venv' 2>/dev/null || need_pkgs+=("python3-venv")
# The version matrix fetches PostgreSQL 14, 16, 17 and 18 builds from the npm registry.
command -v npm >/dev/null || need_pkgs+=("npm")

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "bootstrap: installing ${need_pkgs[*]}" >&2
    # pgwatch makes its own throwaway clusters; the package's default cluster is not wanted.
    mkdir -p /etc/postgresql-common
    if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
      echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    echo "bootstrap: missing ${need_pkgs[*]}; install them (as root: apt-get install ${need_pkgs[*]})" >&2
    # The server is optional for `pgwatch` against a remote server, so only venv is fatal.
    python3 -c 'import ensurepip, venv' 2>/dev/null || exit 1
  fi
fi

python3 - <<'PY' || { echo "bootstrap: pgwatch needs Python 3.11 or newer" >&2; exit 1; }
import sys
raise SystemExit(0 if sys.version_info >= (3, 11) else 1)
PY

# .venv holds the releases pinned in constraints.txt; with --latest, .venv-latest holds the
# newest of every dependency, within pyproject's bounds or not, to show what they would change.
venv=.venv
pins=(-c constraints.txt)
if [ "${1:-}" = "--latest" ]; then
  venv=.venv-latest
  pins=()
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
stamp=$venv/.pgwatch-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "bootstrap: installing pgwatch and its tools into $venv" >&2
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q "${pins[@]}" -e '.[dev]'
  if [ "$venv" = .venv-latest ]; then
    # Past pyproject's upper bounds too: the newest release of every runtime dependency.
    # pip then says which bound each one passes.
    "$venv/bin/python" -m pip install -q --upgrade textual textual-plotext plotext \
      'psycopg[binary]' pydantic rich
  fi
  touch "$stamp"
fi
