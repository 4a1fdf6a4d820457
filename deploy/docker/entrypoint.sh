#!/bin/sh
# Runs `o1p <args>`; with no arguments, `o1p $O1P_SERVICE` (the image's service).
set -eu
if [ "$#" -eq 0 ]; then
  set -- "$O1P_SERVICE"
fi
# --add-modules: the Java decoder's SIMD kernels use the Vector API (incubating in Java 17)
exec java --add-modules jdk.incubator.vector -jar /opt/o1p/launcher/target/o1p.jar "$@"
