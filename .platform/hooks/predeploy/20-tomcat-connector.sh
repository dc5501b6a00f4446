#!/bin/bash
# Tally: size the platform Tomcat's HTTP connector (port 8080, behind nginx) for many WebSockets.
#   maxConnections   NIO default 8192: connections past it wait in the accept queue, silently
#   acceptCount      the accept queue itself (default 100)
#   socket.appReadBufSize / socket.appWriteBufSize   8 KiB each by default, kept per connection
# and quiets the Host's ErrorReportValve (no Tomcat version, no report on errors Tomcat answers itself).
# Values come from the environment properties TALLY_TOMCAT_MAX_CONNECTIONS, TALLY_TOMCAT_ACCEPT_COUNT
# and TALLY_TOMCAT_SOCKET_BUFFER (defaults 30000, 1024, 1024; keep maxConnections above the app's own
# TALLY_MAX_CONNECTIONS, 20000, so the app refuses cleanly before the connector queues silently).
# docs/DEPLOY.md and docs/PERFORMANCE.md explain them.
#
# Safe: it edits only the uncommented <Connector port="8080"> start tag and the Host's error valve, checks that the result is
# still well-formed XML before replacing the file (atomically, keeping server.xml.tally-orig), and
# skips with a message (exit 0) when the file, the connector or python3 is missing, so it can never
# fail a deployment over an optimisation. Idempotent: an unchanged file is not rewritten.
set -euo pipefail

log() { echo "tally-connector: $*"; }

xml="${TALLY_SERVER_XML:-}"
if [[ -z "$xml" ]]; then
    for candidate in /etc/tomcat/server.xml /usr/share/tomcat/conf/server.xml; do
        if [[ -f "$candidate" ]]; then xml="$candidate"; break; fi
    done
fi
if [[ -z "$xml" || ! -f "$xml" ]]; then
    log "no server.xml found, nothing to do"; exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    log "no python3, leaving $xml as it is"; exit 0
fi

# A setting: the hook's environment first (the platform passes environment properties to hooks on
# current platform versions; tests set them too), then get-config (older platform versions), then
# the default; anything but a whole number falls back to it.
setting() {
    local name="$1" default="$2" value="${!1:-}"
    if [[ -z "$value" && -x /opt/elasticbeanstalk/bin/get-config ]]; then
        value="$(/opt/elasticbeanstalk/bin/get-config environment -k "$name" 2>/dev/null || true)"
    fi
    if [[ -z "$value" ]]; then echo "$default"
    elif [[ "$value" =~ ^[0-9]+$ ]]; then echo "$value"
    else log "ignoring $name=$value (not a whole number), using $default" >&2; echo "$default"; fi
}
export TALLY_C_MAX="$(setting TALLY_TOMCAT_MAX_CONNECTIONS 30000)"
export TALLY_C_ACCEPT="$(setting TALLY_TOMCAT_ACCEPT_COUNT 1024)"
export TALLY_C_BUF="$(setting TALLY_TOMCAT_SOCKET_BUFFER 1024)"

python3 - "$xml" <<'PY' || { log "could not update $(basename "$xml"); left as it was"; exit 0; }
import os, re, sys, tempfile, shutil
from xml.dom import minidom

path = sys.argv[1]
with open(path, encoding="utf-8", newline="") as f:  # keep the file's own line endings
    text = f.read()
eol = "\r\n" if "\r\n" in text else "\n"
wanted = {
    "maxConnections": os.environ["TALLY_C_MAX"],
    "acceptCount": os.environ["TALLY_C_ACCEPT"],
    "socket.appReadBufSize": os.environ["TALLY_C_BUF"],
    "socket.appWriteBufSize": os.environ["TALLY_C_BUF"],
}

# Start tags of <Connector> outside comments: blank the comments (same length) before searching.
visible = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), text, flags=re.S)
tags = [m for m in re.finditer(r"<Connector\b[^>]*>", visible)
        if re.search(r'\bport\s*=\s*"8080"', m.group(0))]
if len(tags) != 1:
    print(f"tally-connector: expected one <Connector port=\"8080\"> in {path}, found {len(tags)}; nothing changed")
    sys.exit(0)

def with_attrs(tag, attrs):
    for name, value in attrs.items():
        attr = re.compile(r'(\s)' + re.escape(name) + r'\s*=\s*"[^"]*"')
        if attr.search(tag):
            tag = attr.sub(lambda m: f'{m.group(1)}{name}="{value}"', tag, count=1)
        else:
            end = len(tag[:len(tag) - (2 if tag.endswith("/>") else 1)].rstrip())  # after the last attribute
            tag = tag[:end] + f'{eol}               {name}="{value}"' + tag[end:]
    return tag

edits = [(tags[0].start(), tags[0].end(), with_attrs(text[tags[0].start():tags[0].end()], wanted))]
# Errors Tomcat answers before the webapp sees the request (a malformed or encoded-slash URI) come
# from the Host's ErrorReportValve, whose page names Tomcat's version: show neither it nor a report.
quiet = {"showReport": "false", "showServerInfo": "false"}
valves = list(re.finditer(r"<Valve\b[^>]*ErrorReportValve[^>]*>", visible))
hosts = list(re.finditer(r"<Host\b[^>]*>", visible))
if valves:
    for v in valves:
        edits.append((v.start(), v.end(), with_attrs(text[v.start():v.end()], quiet)))
elif len(hosts) == 1 and not hosts[0].group(0).endswith("/>"):
    at = hosts[0].end()
    edits.append((at, at, f'{eol}        <Valve className="org.apache.catalina.valves.ErrorReportValve" showReport="false" showServerInfo="false"/>'))
result = text
for start, end, replacement in sorted(edits, reverse=True):
    result = result[:start] + replacement + result[end:]
if result == text:
    print(f"tally-connector: {path} already has " + ", ".join(f"{k}={v}" for k, v in wanted.items()) + " and a quiet error page")
    sys.exit(0)

minidom.parseString(result.encode("utf-8"))  # raises (and the caller logs) if no longer well-formed

backup = path + ".tally-orig"
if not os.path.exists(backup):
    shutil.copy2(path, backup)
fd, tmp = tempfile.mkstemp(prefix=".tally-server.", dir=os.path.dirname(path))
with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
    f.write(result)
shutil.copymode(path, tmp)
try:
    st = os.stat(path)
    os.chown(tmp, st.st_uid, st.st_gid)
except PermissionError:
    pass
os.replace(tmp, path)
print(f"tally-connector: set " + ", ".join(f"{k}={v}" for k, v in wanted.items()) + f" and a quiet error page on {path}")
PY
