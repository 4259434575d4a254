#!/usr/bin/env bash
# Install the pages' front-end libraries from the npm registry, exactly as package-lock.json
# pins them, and copy the files the pages load into crossrisk/web/static/vendor/.
#
# The pages must work on intranets without internet access, so nothing is loaded from a
# CDN at run time: the browser gets these files from the platform itself. The vendor folder
# is generated, git-ignored, and shipped in the wheel (pyproject package-data).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/crossrisk/web/static/vendor"

cd "$root"
# --ignore-scripts: no package may run code at install time; we only need its dist files.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

rm -rf "$vendor"
mkdir -p "$vendor/leaflet/images"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$vendor/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$vendor/leaflet/images/"
cp node_modules/leaflet/LICENSE "$vendor/leaflet/LICENSE"
# The API documentation page (/api/docs): Swagger UI's bundle, its stylesheet and icon.
mkdir -p "$vendor/swagger-ui"
cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,favicon-32x32.png,LICENSE,NOTICE} \
  "$vendor/swagger-ui/"

# Charts (the shortfall and, later, evaluation): ECharts' minified build and its licence.
mkdir -p "$vendor/echarts"
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE node_modules/echarts/NOTICE \
  "$vendor/echarts/"

echo "web assets installed in ${vendor#"$root"/}"
