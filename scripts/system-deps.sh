#!/usr/bin/env bash
# Install the Debian packages a step needs, when they are missing and apt-get is available.
#   gettext: msgfmt, to compile the translations
#   bench:   wrk, the load generator of bench/load.py
#   test:    Chromium for the browser tests, poppler-utils to read PDFs, Pango and HarfBuzz-Subset for WeasyPrint
set -euo pipefail

need=()
case "${1:-}" in
  gettext) command -v msgfmt >/dev/null || need+=(gettext) ;;
  bench) command -v wrk >/dev/null || need+=(wrk) ;;
  test)
    command -v chromium >/dev/null || need+=(chromium)
    command -v pdftotext >/dev/null || need+=(poppler-utils)
    command -v msgfmt >/dev/null || need+=(gettext)
    ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
    ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
    fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
    ;;
  *) echo "usage: $0 gettext|bench|test" >&2; exit 2 ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs these Debian packages and cannot install them: ${need[*]}" >&2
  exit 1
else
  echo "Note: missing ${need[*]}; the steps that need them are skipped on this machine." >&2
fi
