import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { pages } from './pages';
import { LifecyclePolicy, PrivateRepository } from '../../src';
import { limitGrantsToAwsServices } from '../../src/internal/kms';

/**
 * What the examples of the README and of docs/ take as given, like jsii-rosetta fixtures: the
 * example's `this` is a stack, and these names are in scope.
 */
export interface Fixture {
  /** A customer managed key. */
  readonly key: kms.IKey;
  /** An ECS task role. */
  readonly taskRole: iam.IRole;
  /** The role of a release pipeline. */
  readonly releaseRole: iam.IRole;
  /** A scanner's role. */
  readonly scannerRole: iam.IRole;
  /** A repository of base images. */
  readonly baseImages: PrivateRepository;
  /** A stack of another account (the upstream of a pull-through cache). */
  readonly upstreamStack: Stack;
  /** Lifecycle policy text read from ECR. */
  readonly existingPolicyText: string;
  /** The text of the documentation's repository catalog (the first ```yaml block with `repositories:` of docs/fleets.md, else of the README or another page of docs/). */
  readonly catalogYaml: string;
  /** A placement file path, in a fresh temporary folder. */
  readonly placementFile: string;
}

/** The names of the fixture, with their TypeScript types, for the type check. */
export const FIXTURE_TYPES: Record<keyof Fixture, string> = {
  key: "import('aws-cdk-lib/aws-kms').IKey",
  taskRole: "import('aws-cdk-lib/aws-iam').IRole",
  releaseRole: "import('aws-cdk-lib/aws-iam').IRole",
  scannerRole: "import('aws-cdk-lib/aws-iam').IRole",
  baseImages: "import('cdk-ecr-platform').PrivateRepository",
  upstreamStack: "import('aws-cdk-lib').Stack",
  existingPolicyText: 'string',
  catalogYaml: 'string',
  placementFile: 'string',
};

/** Builds the fixture values that an example uses, in its stack (and a second stack for the upstream account). */
export function makeFixture(stack: Stack, names: string[]): Partial<Fixture> {
  const role = (id: string, service: string) => {
    const r = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal(service) });
    // The roles stand for the user's own roles: grants add statements to a role's default
    // inline policy, which the NIST, HIPAA and PCI packs flag on the role whatever the grant
    // (the README says so). The wildcard findings of the grants are acknowledged in the examples.
    Validations.of(r).acknowledge(...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
      id: `${pack}-IAMNoInlinePolicy`, reason: 'a fixture role: how users attach policies to their roles is theirs to decide',
    })));
    return r;
  };
  const make: { [K in keyof Fixture]: () => Fixture[K] } = {
    key: () => {
      // a user's key under Control Tower carries the CT.KMS.PR.3 statement, like the library's keys
      const k = new kms.Key(stack, 'FixtureKey', { enableKeyRotation: true });
      limitGrantsToAwsServices(k);
      return k;
    },
    taskRole: () => role('FixtureTaskRole', 'ecs-tasks.amazonaws.com'),
    releaseRole: () => role('FixtureReleaseRole', 'codebuild.amazonaws.com'),
    scannerRole: () => role('FixtureScannerRole', 'codebuild.amazonaws.com'),
    baseImages: () => new PrivateRepository(stack, 'FixtureBaseImages', { repositoryName: 'platform/base-images' }),
    upstreamStack: () => new Stack(stack.node.root, 'Upstream', { env: { account: '222222222222', region: stack.region } }),
    existingPolicyText: () => LifecyclePolicy.recommended().toJson(),
    catalogYaml: () => {
      // the fleets page's catalog first: other pages may show catalogs of their own
      const ordered = pages().sort((a, b) => Number(b.file === 'docs/fleets.md') - Number(a.file === 'docs/fleets.md'));
      const block = ordered.flatMap((p) => [...p.text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1])).find((b) => /^repositories:/m.test(b));
      if (!block) throw new Error('neither the README nor a page of docs/ has a ```yaml block with a repository catalog');
      return block;
    },
    placementFile: () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'readme-placement-')), 'fleet-placement.json'),
  };
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = make[name as keyof Fixture]();
  return out as Partial<Fixture>;
}
