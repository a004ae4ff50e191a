#!/bin/sh
# Platform volumes (Railway's among them) are mounted owned by root: give the data folder to the
# unprivileged `node` user, then drop to it, so the server never runs as root.
set -e
if [ "$(id -u)" = "0" ]; then
  mkdir -p "${DATA_DIR:-/data}"
  chown -R node:node "${DATA_DIR:-/data}"
  exec setpriv --reuid=node --regid=node --init-groups "$@"
fi
exec "$@"
