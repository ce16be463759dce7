# Shared by browser.sh and approve-device.sh: a user at oidc-provider's development login and
# consent pages, played with curl and a cookie jar. Sourced, not run.
#
# Every URL goes to curl in a config on its stdin, never in its arguments: the last one carries
# the authorization code. The log names paths only, never a query.
#
# Environment: OIDC_USER (the login name, default `alice`; any password is accepted),
# OIDC_CONSENT (`approve`, the default, or `deny`).

set -euo pipefail

OIDC_USER=${OIDC_USER:-alice}
OIDC_CONSENT=${OIDC_CONSENT:-approve}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar=$work/cookies

log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { log "$*"; exit 1; }

# The path of URL, without its query: what the log may show.
path_of() { local rest=${1#*://*/}; rest=${rest%%\?*}; printf '/%s' "$rest"; }

# The scheme, host and port of URL.
origin_of() { printf '%s' "$1" | sed -E 's#^([a-z]+://[^/?]+).*#\1#'; }

# request URL [FIELD=VALUE...]: GET, or POST with the fields form-urlencoded. Sets STATUS and
# LOCATION (the absolute redirect target, or empty); the body is in $work/body.
request() {
  local url=$1 field out
  shift
  out=$({
    printf 'url = "%s"\n' "$url"
    for field in "$@"; do printf 'data-urlencode = "%s"\n' "$field"; done
  } | curl -sS --max-time 10 -K - -c "$jar" -b "$jar" -o "$work/body" \
      -w '%{http_code} %{redirect_url}') || die "no answer from $(path_of "$url")"
  STATUS=${out%% *}
  LOCATION=${out#* }
  log "$([ $# -gt 0 ] && echo POST || echo GET) $(path_of "$url") -> $STATUS"
}

# The hidden inputs of the page's forms, as FIELD=VALUE lines.
hidden_fields() {
  grep -o '<input type="hidden" name="[^"]*" value="[^"]*"' "$work/body" \
    | sed -E 's/.*name="([^"]*)" value="([^"]*)"/\1=\2/'
}

# The action of the page's first form.
form_action() {
  grep -o '<form[^>]* action="[^"]*"' "$work/body" | head -n1 | sed -E 's/.* action="([^"]*)"/\1/'
}

# walk URL: follows the provider's redirects from URL and answers its login and consent pages,
# until a redirect leaves the provider's origin (then LOCATION is its target) or a page that is
# neither is shown (then LOCATION is empty and the page is in $work/body).
walk() {
  local url=$1 origin action
  origin=$(origin_of "$url")
  for _ in $(seq 1 20); do
    request "$url"
    case $STATUS in
      30[1237])
        [ -n "$LOCATION" ] || die "a redirect without a Location from $(path_of "$url")"
        if [ "$(origin_of "$LOCATION")" != "$origin" ]; then
          return 0
        fi
        url=$LOCATION
        continue
        ;;
    esac
    if grep -q 'name="prompt" value="login"' "$work/body"; then
      action=$(form_action)
      request "$action" prompt=login "login=$OIDC_USER" password=any
    elif grep -q 'name="prompt" value="consent"' "$work/body"; then
      if [ "$OIDC_CONSENT" = deny ]; then
        request "$url/abort"
      else
        action=$(form_action)
        request "$action" prompt=consent
      fi
    else
      LOCATION=
      return 0
    fi
    case $STATUS in
      30[1237]) ;;
      *) die "the provider answered $STATUS to the form at $(path_of "$url")" ;;
    esac
    if [ "$(origin_of "$LOCATION")" != "$origin" ]; then
      return 0
    fi
    url=$LOCATION
  done
  die "more than 20 pages without reaching the end"
}
