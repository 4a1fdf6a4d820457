#!/usr/bin/env bash
# Proves the dashboards against a live run: installs Debian's prometheus when missing (CI), then
# runs `./o1p check-dashboards` (embedded broker, the four services as processes, Prometheus on
# loopback scraping them every second, every panel query through the HTTP API). The last line
# of output is one JSON object: {"panels":N,"with_data":M,...}. Exit 1 if a panel has no data
# or a dashboard names a metric no service exports.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v prometheus >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
    systemctl disable --now prometheus >/dev/null 2>&1 || true   # the package's own service is not wanted
  else
    echo "check-dashboards: prometheus is not installed (sudo apt-get install -y prometheus)" >&2
    exit 2
  fi
fi
exec "$ROOT/o1p" check-dashboards "$@"
