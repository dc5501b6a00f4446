#!/bin/bash
# Tally: raise the open-file limit of the platform's Tomcat service so it can hold thousands of
# WebSockets (each one is a file descriptor). On Amazon Linux 2023 Tomcat runs as the systemd
# unit tomcat.service, and systemd ignores /etc/security/limits.conf: a drop-in under
# /etc/systemd/system/tomcat.service.d/ is the mechanism. Predeploy hooks run before the platform
# (re)starts Tomcat, so the new limit applies to the Tomcat started by this deployment. systemd
# applies drop-ins in file-name order and the last LimitNOFILE wins: the platform's own drop-in is
# tomcat.conf, so ours is zz-tally-nofile.conf to sort after it. The postdeploy hook
# 10-tomcat-nofile-check.sh then reads the limit the running Tomcat really has.
#
# Safe and idempotent: it only ever raises (never lowers) the soft and hard limits, rewrites its
# own drop-in only when the content changes, and skips with a message (exit 0) when systemd or the
# unit is not there, so it can never fail a deployment over an optimisation.
set -euo pipefail

TARGET="${TALLY_NOFILE:-65536}"
UNIT="${TALLY_TOMCAT_UNIT:-tomcat.service}"
DROPIN_DIR="${TALLY_SYSTEMD_DIR:-/etc/systemd/system}/${UNIT}.d"
DROPIN="${DROPIN_DIR}/zz-tally-nofile.conf"
OLD_DROPIN="${DROPIN_DIR}/90-tally-nofile.conf" # earlier name: it sorted before the platform's tomcat.conf

log() { echo "tally-nofile: $*"; }

if ! command -v systemctl >/dev/null 2>&1; then
    log "no systemctl, nothing to do"; exit 0
fi
if ! systemctl cat "$UNIT" >/dev/null 2>&1; then
    log "unit $UNIT not found, nothing to do"; exit 0
fi

# The larger of a current limit and the target; "infinity" is larger than any number.
raise() {
    local current="$1"
    if [[ "$current" == "infinity" ]]; then echo infinity
    elif [[ "$current" =~ ^[0-9]+$ ]] && (( current > TARGET )); then echo "$current"
    else echo "$TARGET"; fi
}

soft="$(raise "$(systemctl show -p LimitNOFILESoft --value "$UNIT" 2>/dev/null || true)")"
hard="$(raise "$(systemctl show -p LimitNOFILE --value "$UNIT" 2>/dev/null || true)")"
if [[ "$hard" != "infinity" && "$soft" != "infinity" ]] && (( soft > hard )); then hard="$soft"; fi
if [[ "$soft" == "infinity" && "$hard" != "infinity" ]]; then soft="$hard"; fi

wanted="$(printf '# Written by Tally (.platform/hooks/predeploy/10-tomcat-nofile.sh)\n[Service]\nLimitNOFILE=%s:%s\n' "$soft" "$hard")"

if [[ -f "$OLD_DROPIN" ]]; then rm -f "$OLD_DROPIN"; systemctl daemon-reload; log "removed the old $(basename "$OLD_DROPIN")"; fi
if [[ -f "$DROPIN" ]] && [[ "$(cat "$DROPIN")" == "$wanted" ]]; then
    log "$UNIT already has LimitNOFILE=$soft:$hard"; exit 0
fi

mkdir -p "$DROPIN_DIR"
tmp="$(mktemp "${DROPIN_DIR}/.tally-nofile.XXXXXX")"
printf '%s\n' "$wanted" > "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$DROPIN"
systemctl daemon-reload
log "set LimitNOFILE=$soft:$hard for $UNIT"
