#!/bin/sh
# Runs `o1p <args>`; with no arguments, `o1p $O1P_SERVICE` (the image's service).
set -eu
if [ "$#" -eq 0 ]; then
  set -- "$O1P_SERVICE"
fi
exec java -jar /opt/o1p/launcher/target/o1p.jar "$@"
