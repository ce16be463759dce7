#!/usr/bin/env bash
# A $BROWSER for the tests: `browser.sh AUTHORIZATION_URL` plays the user of the authorization
# code flow at the test OpenID Provider (server.js): it logs in as OIDC_USER, consents (or, with
# OIDC_CONSENT=deny, aborts), and requests the loopback redirect URI the provider sends it to, as
# a browser would, so that the listener there receives `code` and `state` (or `error`).
#
# Like a graphical browser it returns at once and does its work in the background, unless
# OIDC_BROWSER_FOREGROUND=1. What it did goes to stderr, or, in the background, to the file
# OIDC_BROWSER_LOG (when set; it ends with `browser: done` or the reason it stopped).
# Environment as in walk.sh.

SCRIPT_NAME=browser
# shellcheck source=walk.sh
. "$(dirname "$0")/walk.sh"

[ $# -eq 1 ] || die "usage: browser.sh AUTHORIZATION_URL"

sign_in() {
  walk "$1"
  [ -n "$LOCATION" ] || die "the provider showed a page instead of redirecting: $(grep -o '<title>[^<]*' "$work/body" | head -n1)"
  # The redirect URI: a real browser loads it, and so do we, without following it further.
  request "$LOCATION"
  log "done"
}

if [ "${OIDC_BROWSER_FOREGROUND:-0}" = 1 ]; then
  sign_in "$1"
else
  # The work folder now belongs to the background part, which removes it when done.
  trap - EXIT
  (
    trap 'rm -rf "$work"' EXIT
    sign_in "$1"
  ) </dev/null >/dev/null 2>>"${OIDC_BROWSER_LOG:-/dev/null}" &
fi
