# Headless Chromium for the dashboard's browser tests: Debian's chromium and chromedriver, installed when missing.
# shellcheck shell=bash

OPTBENCH_CHROMIUM=${OPTBENCH_CHROMIUM:-/usr/bin/chromium}
OPTBENCH_CHROMEDRIVER=${OPTBENCH_CHROMEDRIVER:-/usr/bin/chromedriver}

# Whether the Maven arguments select modules (-pl/--projects) without viz-service, whose tests need no browser.
tests_skip_browser() {
  local previous="" argument projects=""
  for argument in "$@"; do
    case "$previous" in -pl|--projects) projects=$argument ;; esac
    case "$argument" in -pl?*) projects=${argument#-pl} ;; --projects=*) projects=${argument#--projects=} ;; esac
    previous=$argument
  done
  [ -n "$projects" ] && [[ "$projects" != *viz-service* ]]
}

ensure_browser() {
  if [ -x "$OPTBENCH_CHROMIUM" ] && [ -x "$OPTBENCH_CHROMEDRIVER" ]; then
    export OPTBENCH_CHROMIUM OPTBENCH_CHROMEDRIVER
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || fail "the dashboard's browser tests need Chromium; run: sudo apt-get install -y chromium chromium-driver"
  say "installing Debian's chromium and chromium-driver for the browser tests (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; } \
    >"$OPTBENCH_HOME/apt-chromium.log" 2>&1 || fail "apt-get install chromium failed; see $OPTBENCH_HOME/apt-chromium.log"
  export OPTBENCH_CHROMIUM OPTBENCH_CHROMEDRIVER
}
