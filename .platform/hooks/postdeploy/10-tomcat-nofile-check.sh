#!/bin/bash
# Tally: after the platform has (re)started Tomcat, read the open-file limit the running JVM really
# has (/proc/<pid>/limits) and say so in the deployment log, with a warning when it is below what
# 10-tomcat-nofile.sh asked for (another drop-in or the platform overrode it). Never fails a
# deployment: it only reports.
set -uo pipefail

TARGET="${TALLY_NOFILE:-65536}"
UNIT="${TALLY_TOMCAT_UNIT:-tomcat.service}"
PROC="${TALLY_PROC_DIR:-/proc}"

log() { echo "tally-nofile: $*"; }

pid="${TALLY_TOMCAT_PID:-}"
if [[ -z "$pid" ]] && command -v systemctl >/dev/null 2>&1; then
    pid="$(systemctl show -p MainPID --value "$UNIT" 2>/dev/null || true)"
fi
if [[ -z "$pid" || "$pid" == "0" || ! -r "$PROC/$pid/limits" ]]; then
    log "no running $UNIT to check"; exit 0
fi
# "Max open files            65536                65536                files"
read -r soft hard < <(awk '/^Max open files/ {print $4, $5}' "$PROC/$pid/limits")
if [[ "$soft" == "unlimited" ]] || { [[ "$soft" =~ ^[0-9]+$ ]] && (( soft >= TARGET )); }; then
    log "Tomcat (pid $pid) runs with open files $soft (hard $hard)"
else
    log "WARNING: Tomcat (pid $pid) runs with open files $soft (hard $hard), below $TARGET: another" \
        "LimitNOFILE drop-in wins (systemctl cat $UNIT); see docs/DEPLOY.md"
fi
exit 0
