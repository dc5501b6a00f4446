#!/bin/bash
# Tally: size the platform Tomcat's HTTP connector (port 8080, behind nginx) for many WebSockets.
#   maxConnections   NIO default 8192: connections past it wait in the accept queue, silently
#   acceptCount      the accept queue itself (default 100)
#   socket.appReadBufSize / socket.appWriteBufSize   8 KiB each by default, kept per connection
# Values come from the environment properties TALLY_TOMCAT_MAX_CONNECTIONS, TALLY_TOMCAT_ACCEPT_COUNT
# and TALLY_TOMCAT_SOCKET_BUFFER (defaults 30000, 1024, 1024; keep maxConnections above the app's own
# TALLY_MAX_CONNECTIONS, 20000, so the app refuses cleanly before the connector queues silently).
# docs/DEPLOY.md and docs/PERFORMANCE.md explain them.
#
# Safe: it edits only the uncommented <Connector port="8080"> start tag, checks that the result is
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

# A setting: the hook's environment first (tests), then the Beanstalk environment properties (hooks
# do not get them as variables), then the default; anything but a whole number falls back to it.
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

tag = text[tags[0].start():tags[0].end()]
new = tag
for name, value in wanted.items():
    attr = re.compile(r'(\s)' + re.escape(name) + r'\s*=\s*"[^"]*"')
    if attr.search(new):
        new = attr.sub(lambda m: f'{m.group(1)}{name}="{value}"', new, count=1)
    else:
        end = len(new[:len(new) - (2 if new.endswith("/>") else 1)].rstrip())  # after the last attribute
        new = new[:end] + f'{eol}               {name}="{value}"' + new[end:]
if new == tag:
    print(f"tally-connector: {path} already has " + ", ".join(f"{k}={v}" for k, v in wanted.items()))
    sys.exit(0)

result = text[:tags[0].start()] + new + text[tags[0].end():]
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
print(f"tally-connector: set " + ", ".join(f"{k}={v}" for k, v in wanted.items()) + f" on {path}")
PY
