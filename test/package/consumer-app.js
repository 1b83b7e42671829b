// A consumer's CDK app, written against the installed package only (run from
// a fresh folder by test/package/pack.sh): every construct with an asset, the
// compliance pack and cdk-nag's AwsSolutions pack, CloudFormation validation on.
// Usage: node consumer-app.js OUTDIR
const fs = require('fs');
const path = require('path');
const { App, Stack, Validations } = require('aws-cdk-lib');
const { AwsSolutionsChecks } = require('cdk-nag');
const ecr = require('cdk-ecr-platform');

const outdir = process.argv[2];
const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
const stack = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'eu-west-1' } });
new ecr.PrivateRepository(stack, 'Api', { repositoryName: 'team-a/api' });
// the custom resources served by the bundled handler (assets/registry/account-settings.lambda)
new ecr.InspectorScanning(stack, 'Inspector', { rescanDuration: ecr.InspectorRescanDuration.DAYS_180 });
new ecr.EcrAccountSettings(stack, 'Settings', { basicScanTypeVersion: ecr.BasicScanTypeVersion.AWS_NATIVE });
Validations.of(app).addPlugins(new ecr.EcrComplianceChecks(app), new AwsSolutionsChecks(app));
const assembly = app.synth();

const problems = [];
const reportFile = path.join(assembly.directory, 'validation-report.json');
if (fs.existsSync(reportFile)) {
  for (const report of JSON.parse(fs.readFileSync(reportFile, 'utf8')).pluginReports ?? []) {
    for (const violation of report.violations ?? []) problems.push(`${report.pluginName}: ${violation.ruleName}: ${violation.description}`);
  }
}
const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
if (functions.length !== 1) problems.push(`expected one Lambda function (the account-settings handler), found ${functions.length}`);
const customResources = Object.values(template.Resources).filter((r) => r.Type.startsWith('Custom::'));
if (customResources.length !== 2) problems.push(`expected two custom resources (Inspector, account settings), found ${customResources.length}`);
// the handler's bundle was staged as an asset of the cloud assembly
const staged = fs.readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'))
  .filter((name) => fs.existsSync(path.join(assembly.directory, name, 'index.js')));
if (staged.length !== 1) problems.push(`expected the handler bundle (index.js) staged once in ${assembly.directory}, found ${staged.length}`);
else if (!/exports\.handler|handler/.test(fs.readFileSync(path.join(assembly.directory, staged[0], 'index.js'), 'utf8'))) problems.push('the staged handler bundle has no handler');

if (problems.length > 0) {
  process.stderr.write(`consumer app: ${problems.length} problem(s):\n- ${problems.join('\n- ')}\n`);
  process.exit(1);
}
process.stdout.write(`consumer app synthesized: ${Object.keys(template.Resources).length} resources, handler asset ${staged[0]}, no findings\n`);
