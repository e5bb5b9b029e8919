#!/usr/bin/env bash
# The shipped wasm's size, raw and gzip -9, as bench-result lines for README's performance
# page. Usage: benches/wasm_size.sh <dist dir> (after `make build`).
set -euo pipefail
dist=${1:?usage: benches/wasm_size.sh <dist dir>}
shopt -s nullglob
files=("$dist"/*.wasm)
if [ ${#files[@]} -eq 0 ]; then
  echo "no .wasm in $dist: run make build first" >&2
  exit 1
fi
raw=$(cat "${files[@]}" | wc -c)
gz=$(cat "${files[@]}" | gzip -9 -c | wc -c)
names=$(basename -a "${files[@]}" | tr '\n' ' ')
echo "bench-result: {\"name\":\"wasm_raw_bytes\",\"value\":$raw,\"unit\":\"B\",\"label\":\"wasm shipped, raw\",\"note\":\"wc -c of ${names% }\"}"
echo "bench-result: {\"name\":\"wasm_gzip_bytes\",\"value\":$gz,\"unit\":\"B\",\"label\":\"wasm shipped, gzip -9\",\"goal\":\"≤ 400 KB for the first page\",\"note\":\"gzip -9 -c | wc -c\"}"
