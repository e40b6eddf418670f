#!/usr/bin/env bash
# The Liberation fonts, which gonum/plot measures its text with: the SVG
# charts of settle compare's report.html name them, so headless Chromium
# (the report's browser test) draws the text with the widths the charts
# were laid out for. Debian's package; idempotent.
set -euo pipefail
if fc-list 2>/dev/null | grep -qi "Liberation Serif"; then
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends fonts-liberation fontconfig >/dev/null
