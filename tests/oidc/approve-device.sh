#!/usr/bin/env bash
# The user of the device flow (RFC 8628 §3.3) at the test OpenID Provider (server.js):
# `approve-device.sh VERIFICATION_URI_COMPLETE` or `approve-device.sh VERIFICATION_URI USER_CODE`
# opens the page, submits the code, confirms the device (or, with OIDC_CONSENT=deny, aborts
# there: the device then gets `access_denied`), logs in as OIDC_USER and consents. It runs in the
# foreground and exits 0 when the provider shows its success page (or, when denying, its
# interrupted page). Environment as in walk.sh.

SCRIPT_NAME=approve-device
# shellcheck source=walk.sh
. "$(dirname "$0")/walk.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: approve-device.sh VERIFICATION_URI_COMPLETE | VERIFICATION_URI USER_CODE"

# The code page: with the code in the URL it is a form that posts itself (xsrf and user_code);
# without, a form asking for the code.
request "$1"
[ "$STATUS" = 200 ] || die "the verification page answered $STATUS"
action=$(form_action)
mapfile -t fields < <(hidden_fields)
[ $# -eq 2 ] && fields+=("user_code=$2")
request "$action" "${fields[@]}"

# The confirmation page: its form says confirm=yes; aborting sends abort=yes instead.
grep -q 'name="confirm" value="yes"' "$work/body" \
  || die "no confirmation page: $(grep -o '<p>[^<]*' "$work/body" | head -n1)"
action=$(form_action)
mapfile -t fields < <(hidden_fields)
if [ "$OIDC_CONSENT" = deny ]; then
  fields=("${fields[@]/confirm=yes/abort=yes}")
  request "$action" "${fields[@]}"
  grep -q 'interrupted' "$work/body" || die "the provider did not confirm the abort"
  log "done: denied"
  exit 0
fi
request "$action" "${fields[@]}"
case $STATUS in
  30[1237]) walk "$LOCATION" ;;
  *) die "the provider answered $STATUS to the confirmation" ;;
esac
[ -z "$LOCATION" ] || die "the provider redirected away, to $(path_of "$LOCATION")"
grep -q 'Sign-in Success' "$work/body" \
  || die "no success page: $(grep -o '<title>[^<]*' "$work/body" | head -n1)"
log "done"
