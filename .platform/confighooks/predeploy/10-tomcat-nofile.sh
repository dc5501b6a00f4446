#!/bin/bash
# Tally: a configuration deployment (e.g. an environment property changed) runs only confighooks,
# then restarts Tomcat: run the application hook of the same name, so TALLY_TOMCAT_* and
# TALLY_NOFILE changes take effect now rather than at the next application deployment.
hook="$(cd "$(dirname "$0")/../../hooks/predeploy" 2>/dev/null && pwd)/10-tomcat-nofile.sh"
if [[ ! -f "$hook" ]]; then echo "tally: $hook not found, nothing to do"; exit 0; fi
exec bash "$hook"
