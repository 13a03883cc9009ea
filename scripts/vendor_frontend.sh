#!/usr/bin/env bash
# Vendor the web map's JavaScript, CSS and basemap from pinned npm packages into
# sitrep/server/static/vendor/ (committed: the page never loads anything from the internet).
# Rerun after changing a version below; it needs npm and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=sitrep/server/static/vendor
PACKAGES=(leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && for p in "${PACKAGES[@]}"; do npm pack --silent "$p" >/dev/null; done
 for t in *.tgz; do mkdir -p "${t%.tgz}" && tar -xzf "$t" -C "${t%.tgz}"; done)
rm -rf "$OUT" && mkdir -p "$OUT"/leaflet/images "$OUT"/leaflet.markercluster \
  "$OUT"/topojson-client "$OUT"/world-atlas
src() { echo "$TMP/$1"*/package; }
cp "$(src leaflet-1)"/dist/leaflet.js "$(src leaflet-1)"/dist/leaflet.css "$OUT"/leaflet/
cp "$(src leaflet-1)"/dist/images/*.png "$OUT"/leaflet/images/
cp "$(src leaflet-1)"/LICENSE "$OUT"/leaflet/
M=$(src leaflet.markercluster-)
cp "$M"/dist/leaflet.markercluster.js "$M"/dist/MarkerCluster.css \
  "$M"/dist/MarkerCluster.Default.css "$M"/MIT-LICENCE.txt "$OUT"/leaflet.markercluster/
T=$(src topojson-client-)
cp "$T"/dist/topojson-client.min.js "$T"/LICENSE "$OUT"/topojson-client/
W=$(src world-atlas-)
cp "$W"/countries-110m.json "$W"/LICENSE "$OUT"/world-atlas/
printf '%s\n' "${PACKAGES[@]}" > "$OUT"/VERSIONS
echo "vendored: ${PACKAGES[*]}"
