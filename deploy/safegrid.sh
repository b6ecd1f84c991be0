#!/bin/sh
# `safegrid` for operators of a systemd install: runs /opt/safegrid's command as the service user,
# with the services' settings, so `safegrid check`, `safegrid backup FILE`, `safegrid user create …`
# act exactly as the units do. Install as root:
#   install -m 0755 /opt/safegrid/deploy/safegrid.sh /usr/local/bin/safegrid
set -eu
set -a
. /etc/safegrid/safegrid.env
set +a
cd /opt/safegrid
exec runuser -u safegrid -- /opt/safegrid/.venv/bin/safegrid "$@"
