#!/usr/bin/env bash
# Installs what the tests start for themselves, only when it is missing: the servers of the storage tests, Debian's
# postgresql (initdb and pg_ctl under /usr/lib/postgresql/NN/bin) and redis-server, and the browser of the browser tests,
# Debian's chromium (driven headless through Playwright; never a browser that Playwright downloads). Not needed to run
# the product (that is scripts/setup.sh, which also installs the fonts the screenshots use: fonts-dejavu-core,
# fonts-liberation2, fonts-wqy-zenhei); without them ./test.sh still passes and the PostgreSQL, Redis and browser tests
# ignore themselves, except the browser tests under CI=true, which fail without chromium.
# The tests run private instances (a cluster in a temp folder on its own Unix socket, redis on a free loopback port),
# never the packages' own services: those are kept from starting at install, and no default cluster is created.
# Installs as root, or through sudo without a password; otherwise says what to install. .ci/run calls it.
set -euo pipefail

have_postgresql() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; }
have_redis() { [ -x /usr/bin/redis-server ] || [ -x /usr/local/bin/redis-server ]; }
# Where OcppServer.Tests/Infrastructure/Browser.cs looks (OCPPAUTH_CHROMIUM names another one).
have_chromium() { [ -x "${OCPPAUTH_CHROMIUM:-/usr/bin/chromium}" ] || [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]; }

missing=()
have_postgresql || missing+=(postgresql)
have_redis || missing+=(redis-server)
have_chromium || missing+=(chromium)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo)
else
  echo "setup-test-services: ${missing[*]} not installed and no root to install them: their tests will be ignored (browser tests fail under CI=true)." >&2
  echo "setup-test-services: to run them: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-test-services: ${missing[*]} not installed and no apt-get to install them (Debian packages postgresql, redis-server, chromium)" >&2
  exit 1
fi

echo "setup-test-services: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  # postgresql-common reads this folder before it creates the default cluster (main, on port 5432) at install.
  "${as_root[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false  # the tests of OcppAuth start clusters of their own" \
    | "${as_root[@]}" tee /etc/postgresql-common/createcluster.d/ocppauth-tests.conf >/dev/null
fi
# Services are started at install through invoke-rc.d, which asks policy-rc.d first: 101 = do not start. A policy that is
# there already (containers have one) is left alone.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  trap '"${as_root[@]}" rm -f "$policy"' EXIT
fi
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Nor at the next boot, where systemd runs.
if [[ " ${missing[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  "${as_root[@]}" systemctl disable --now redis-server >/dev/null 2>&1 || true
fi

have_postgresql || { echo "setup-test-services: postgresql was installed but /usr/lib/postgresql/*/bin/initdb is missing" >&2; exit 1; }
have_redis || { echo "setup-test-services: redis-server was installed but no redis-server binary is found" >&2; exit 1; }
have_chromium || { echo "setup-test-services: chromium was installed but /usr/bin/chromium is missing" >&2; exit 1; }
