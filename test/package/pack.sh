#!/usr/bin/env bash
# What npm publishes works in a consumer app. Builds the package the way the
# development notes (CONTRIBUTING.md) say (`npx projen compile`, then `npm pack`)
# from a checkout without build output, checks the tarball holds what users
# need and nothing else, installs it with aws-cdk-lib, constructs and cdk-nag
# into a fresh app, synthesizes an app with every construct that has an asset
# (with the pinned peers, then the lowest and the newest the peer ranges
# allow), and runs the command line from node_modules/.bin.
# Run by `npx projen test:package` (in CI, after the jsii compilation).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-ecr-platform-package-XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { printf '\n--- %s\n' "$*"; }
fail() { echo "test:package: $*" >&2; exit 1; }

step "build from a checkout without build output: npx projen compile"
rm -rf assets lib .jsii
npx projen compile
[ -f assets/registry/account-settings.lambda/index.js ] || fail "npx projen compile did not bundle assets/registry/account-settings.lambda"

step "the API reference (.jsii, from which API.md is generated) shows only what the package documents"
node - <<'NODE'
const jsii = JSON.parse(require('fs').readFileSync('.jsii', 'utf8'));
const pack = jsii.types['cdk-ecr-platform.EcrComplianceChecks'];
const members = [...(pack.methods ?? []), ...(pack.properties ?? [])];
const problems = [];
// members inherited from cdk-nag's NagPack that API.md would otherwise show with cdk-nag's internal notes
for (const name of ['validate', 'validateScope', 'readPackName', 'name']) {
  const member = members.find((m) => m.name === name);
  if (member === undefined) problems.push(`EcrComplianceChecks does not document ${name} itself (API.md shows cdk-nag's text)`);
  else if (!member.docs?.summary) problems.push(`EcrComplianceChecks.${name} has no description`);
}
const text = JSON.stringify(pack);
for (const internal of ['appConstruct', 'CDK core change']) {
  if (text.includes(internal)) problems.push(`EcrComplianceChecks documentation mentions "${internal}"`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('EcrComplianceChecks documents validate, validateScope, readPackName and name');
NODE

step "npm pack"
npm pack --json --pack-destination "$work" > "$work/pack.json"

step "the tarball holds what users need, nothing else"
node - "$work/pack.json" <<'NODE'
const fs = require('fs');
const [pack] = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const files = pack.files.map((f) => f.path);
// what users need: the compiled library, the jsii assembly, the bundled
// handler, the documentation and the license
const allowed = [
  /^package\.json$/, /^README\.md$/, /^API\.md$/, /^LICENSE$/, /^\.jsii$/,
  /^docs\/[^/]+\.md$/, /^catalog\.schema\.json$/,
  /^lib\/(?:[\w-]+\/)*[\w.-]+\.(?:js|d\.ts)$/,
  /^assets\/registry\/account-settings\.lambda\/index\.js$/,
];
const required = ['package.json', 'README.md', 'API.md', 'LICENSE', '.jsii', 'lib/index.js', 'lib/index.d.ts', 'catalog.schema.json',
  'lib/cli/main.js', 'lib/cli/args.js', 'assets/registry/account-settings.lambda/index.js'];
const problems = [
  ...files.filter((f) => !allowed.some((re) => re.test(f)) || /\.lambda\.(?:js|d\.ts)$/.test(f) && f.startsWith('lib/'))
    .map((f) => `ships ${f}, which users do not need`),
  ...required.filter((f) => !files.includes(f)).map((f) => `does not ship ${f}`),
];
if (problems.length > 0) {
  console.error(`${pack.filename}: ${problems.length} problem(s):\n- ${problems.slice(0, 40).join('\n- ')}`);
  process.exit(1);
}
console.log(`${pack.filename}: ${files.length} files, ${pack.size} bytes packed`);
fs.writeFileSync(process.argv[2] + '.name', pack.filename);
NODE
tarball="$work/$(cat "$work/pack.json.name")"

step "install the tarball into a fresh app"
version() { node -p "require('$repo/node_modules/$1/package.json').version"; }
mkdir "$work/app"
cd "$work/app"
echo '{ "name": "consumer", "version": "1.0.0", "private": true }' > package.json
npm install --prefer-offline --no-audit --no-fund \
  "$tarball" "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)" "cdk-nag@$(version cdk-nag)"

step "synthesize an app that uses every construct with an asset"
cp "$repo/test/package/consumer-app.js" app.js
node app.js cdk.out

# the peer ranges are a promise: the same app with the lowest versions they
# allow and with the newest the registry serves (test/range/versions.js)
# (each in a fresh folder: npm changing aws-cdk-lib's version in place can
# leave its bundled dependencies half removed)
for set in floor newest; do
  specs=$(node "$repo/test/range/versions.js" "$set")
  step "the same app with the $set of the peer ranges: $specs"
  mkdir "$work/app-$set"
  echo '{ "name": "consumer", "version": "1.0.0", "private": true }' > "$work/app-$set/package.json"
  cp app.js "$work/app-$set/app.js"
  # shellcheck disable=SC2086
  (cd "$work/app-$set" && npm install --prefer-offline --no-audit --no-fund --loglevel=error "$tarball" $specs && node app.js cdk.out)
done

step "the command line from node_modules/.bin"
cli=node_modules/.bin/cdk-ecr-platform
expected=$(node -p "require('$repo/package.json').version")
[ "$("$cli" --version)" = "$expected" ] || fail "cdk-ecr-platform --version does not print $expected"
policy='{"rules":[{"rulePriority":1,"description":"Expire untagged images after 14 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}'
[ "$(echo "$policy" | "$cli" lifecycle validate --policy -)" = "valid" ] || fail "lifecycle validate does not accept a valid policy"
echo '{"imageDetails":[{"imageDigest":"sha256:aaaa","imagePushedAt":"2026-01-01T00:00:00Z"}]}' > images.json
echo "$policy" | "$cli" lifecycle preview --policy - --images images.json --now 2026-11-27T00:00:00Z | grep -q '"imageDigest": "sha256:aaaa"' \
  || fail "lifecycle preview does not expire an untagged image pushed 330 days ago"
[ "$(echo "$policy" | "$cli" lifecycle validate --policy - --format json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).valid')" = "true" ] \
  || fail "lifecycle validate --format json does not print a valid document"
set +e
echo '{"rules":[]}' | "$cli" lifecycle validate --policy - 2>/dev/null
status=$?
"$cli" lifecycle valdate --policy - </dev/null 2>usage.txt
misspelt=$?
set -e
[ "$status" -eq 1 ] || fail "lifecycle validate of an invalid policy exits $status, not 1"
[ "$misspelt" -eq 2 ] && grep -q 'did you mean "lifecycle validate"' usage.txt || fail "a misspelt command does not exit 2 with the closest command"
echo "command line: --version, validate (text and JSON), preview and did you mean work"

echo
echo "test:package: ok"
