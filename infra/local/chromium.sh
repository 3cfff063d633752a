#!/usr/bin/env bash
# Installs Debian's Chromium for the console's browser tests and its benchmark (driven by
# playwright-core with executablePath /usr/bin/chromium), unless it is there already. Never a
# browser download of a test tool's own (`npx playwright install`): this machine's registries are
# Debian's and npm's, and a browser of Debian's gets its security updates with the rest.
# Prints the browser's path.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$CHROMIUM" ]; then
  # Test runs start side by side: one installer at a time, the others wait and find it installed.
  exec {lock}>"${TMPDIR:-/tmp}/userpipe-chromium-install.lock"
  flock "$lock"
  if [ ! -x "$CHROMIUM" ]; then
    printf '[local] installing chromium from Debian packages (once; for the console browser tests)\n' >&2
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
fi
[ -x "$CHROMIUM" ] || { printf '[local] error: %s is still missing after installing chromium\n' "$CHROMIUM" >&2; exit 1; }
echo "$CHROMIUM"
