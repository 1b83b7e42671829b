#!/usr/bin/env bash
# The declared peer-dependency range is a tested promise: runs the examples of
# the README and docs/ (every one synthesized under CloudFormation validation, the five
# packs and the Control Tower rules) and the compliance pack's tests against
# the lowest versions package.json allows and against the newest the npm
# registry serves. `npx projen test:range [floor|newest]`; in CI, both.
# The package's end-to-end test (test/package/pack.sh) installs the same two
# sets into a consumer app.
set -euo pipefail
cd "$(dirname "$0")/../.."
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(floor newest)

for set in "${sets[@]}"; do
  specs=$(node test/range/versions.js "$set")
  printf '\n--- %s: %s\n' "$set" "$specs"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/cdk-ecr-platform-range-XXXXXX")
  echo '{ "name": "range", "version": "1.0.0", "private": true }' > "$dir/package.json"
  # shellcheck disable=SC2086
  (cd "$dir" && npm install --prefer-offline --no-audit --no-fund --loglevel=error $specs)
  for name in aws-cdk-lib constructs cdk-nag; do
    printf '%s %s\n' "$name" "$(node -p "require('$dir/node_modules/$name/package.json').version")"
  done
  RANGE_DIR="$dir" npx jest -c test/range/jest.config.js --maxWorkers=2 test/readme test/compliance/pack.test.ts
  rm -rf "$dir"
done
echo
echo "test:range: ${sets[*]}: ok"
