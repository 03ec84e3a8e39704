#!/usr/bin/env bash
# Checks exported results with independent readers from Debian packages:
#   ImageJ 1.x (package imagej), headless, decodes and fills every ROI of NAME.rois.zip (tools/exports/ImageJRoiCheck.java);
#   tifffile (python3-tifffile) reads NAME.ome.tif; scikit-image (python3-skimage) rasterises NAME.geojson and recomputes
#   NAME.csv with regionprops (tools/exports/check_exports.py).
# FOLDER (default: the unit tests' golden files) holds NAME-labels.tif|png, optionally NAME-image.tif|png, and the exports.
# With --segmented OUT IMAGES it checks what `adgan segment --images IMAGES --out OUT --export ...` wrote (OUT/exports).
# Needs: apt-get install imagej python3-tifffile python3-skimage default-jdk-headless (java runs the checker from source).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
segmented=""
if [ "${1:-}" = "--segmented" ]; then
  [ $# -eq 3 ] || { echo "usage: $0 --segmented OUT IMAGES" >&2; exit 2; }
  segmented="$2"; images="$3"
fi
folder="${1:-$here/../test/Microsoft.ML.AdGan.Tests/TestData/Exports}"
ij_jar="${IJ_JAR:-/usr/share/java/ij.jar}"
python="${PYTHON:-/usr/bin/python3}"
[ -f "$ij_jar" ] || { echo "ImageJ not found at $ij_jar (apt-get install imagej)" >&2; exit 2; }

echo "packages: $(dpkg-query -W -f='${Package} ${Version}; ' imagej python3-tifffile python3-skimage 2>/dev/null)java $(java -version 2>&1 | head -1)"
status=0
shopt -s nullglob
if [ -n "$segmented" ]; then
  while IFS= read -r -d '' zip; do
    name="${zip#"$segmented/exports/"}"; name="${name%.rois.zip}"
    labels="$segmented/$name.tif"
    [ -f "$labels" ] || labels="$segmented/$name.png"
    printf '%s: ' "$name"
    java -Djava.awt.headless=true -cp "$ij_jar" "$here/exports/ImageJRoiCheck.java" "$zip" "$labels" || status=1
  done < <(find "$segmented/exports" -name '*.rois.zip' -print0 | sort -z)
  "$python" -W ignore "$here/exports/check_exports.py" --segmented "$segmented" "$images" || status=1
else
  rois=("$folder"/*.rois.zip)
  for zip in "${rois[@]}"; do
    name="$(basename "$zip" .rois.zip)"
    labels="$folder/$name-labels.tif"
    [ -f "$labels" ] || labels="$folder/$name-labels.png"
    printf '%s: ' "$name"
    java -Djava.awt.headless=true -cp "$ij_jar" "$here/exports/ImageJRoiCheck.java" "$zip" "$labels" || status=1
  done
  "$python" -W ignore "$here/exports/check_exports.py" "$folder" || status=1
fi
if [ "$status" -eq 0 ]; then echo "all exports agree with the independent readers"; else echo "EXPORT CHECK FAILED"; fi
exit "$status"
