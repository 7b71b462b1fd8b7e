#!/usr/bin/env bash
# Refreshes the vendored front-end libraries from the npm registry, at the
# pinned versions below. Run it, review the diff, commit.
set -euo pipefail
cd "$(dirname "$0")"

# name@version  file-in-package  destination
PACKAGES=(
  "rapidoc@9.3.8 dist/rapidoc-min.js rapidoc/rapidoc-min.js"
  "lit-html@3.3.3 lit-html.js lit-html/lit-html.js"
  "marked@18.2.1 lib/marked.esm.js marked/marked.esm.js"
  "dompurify@3.4.18 dist/purify.es.mjs dompurify/purify.es.mjs"
  "idb@8.0.4 build/index.js idb/index.js"
  "uplot@1.6.32 dist/uPlot.esm.js uplot/uPlot.esm.js"
  "uplot@1.6.32 dist/uPlot.min.css uplot/uPlot.min.css"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${PACKAGES[@]}"; do
  read -r spec file dest <<<"$entry"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  mkdir -p "$work/x" "$(dirname "$dest")"
  tar -xzf "$tarball" -C "$work/x"
  cp "$work/x/package/$file" "$dest"
  for license in LICENSE LICENSE.txt LICENSE.md; do
    [ -f "$work/x/package/$license" ] && cp "$work/x/package/$license" "$(dirname "$dest")/LICENSE.txt"
  done
  echo "$spec" > "$(dirname "$dest")/VERSION"
  rm -rf "$work/x" "$tarball"
done
