#!/usr/bin/env bash
# Proves a built zhiku site in Debian's Chromium: .ci/browser/run.sh OUT_DIR [PAGED_DIR]
# (PAGED_DIR: a second site whose lists run over several pages; see test.js.)
# Installs what it needs when it is missing (chromium and Java from apt, the npm packages pinned
# in package-lock.json), then runs test.js; exits non-zero when any check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -f "$1/index.html" ] || { [ $# -eq 2 ] && [ ! -f "$2/index.html" ]; }; then
  echo "usage: $0 OUT_DIR [PAGED_DIR]   (built sites: zhiku build --out OUT_DIR)" >&2
  exit 2
fi
out="$(cd "$1" && pwd)"
paged="${2:+$(cd "$2" && pwd)}"

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/chromium ] || apt_install chromium
command -v java >/dev/null || apt_install default-jre-headless
command -v node >/dev/null || apt_install nodejs npm

# npm ci only when the installed packages are not the locked ones. --ignore-scripts: vnu-jar's
# postinstall would download a Java runtime; the machine's Java runs the jar.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.package-lock.stamp" 2>/dev/null; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$here/package-lock.json" "$here/node_modules/.package-lock.stamp"
fi

exec node "$here/test.js" "$out" ${paged:+"$paged"}
