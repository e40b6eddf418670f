#!/usr/bin/env bash
# Headless Chromium for the browser tests of the HTML report (settle compare)
# and the web app (settle serve). Debian's package; idempotent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
	chromium --version
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
chromium --version
