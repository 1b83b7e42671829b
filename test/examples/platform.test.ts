import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatformApp } from '../../examples/platform/app';
import { describeFindings, synthesize } from '../util/harness';
import { currentPins, expectPinned } from '../util/pins';

/**
 * Properties whose change makes CloudFormation replace the resource, per
 * type. A replaced repository loses its images, so these are pinned along
 * with the logical IDs.
 */
const REPLACING_PROPERTIES: Record<string, string[]> = {
  'AWS::ECR::Repository': ['RepositoryName', 'EncryptionConfiguration'],
  'AWS::ECR::PublicRepository': ['RepositoryName'],
};

const PINNED = path.join(__dirname, 'logical-ids.json');

describe('example platform app', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
  const app = buildPlatformApp({ outdir });
  const result = synthesize(app, { nag: true });

  test('every template passes CloudFormation validation with no finding', () => {
    expect(describeFindings(result.cfnFindings)).toBe('');
  });

  test('no unacknowledged finding from AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1', () => {
    expect(describeFindings(result.nagFindings)).toBe('');
  });

  test('no unacknowledged finding from any AWS Control Tower proactive control (apart from the rules switched off in test/util/control-tower.ts)', () => {
    expect(describeFindings(result.controlTowerFindings)).toBe('');
  });

  test('logical IDs and replacing properties of existing resources never change (set UPDATE_LOGICAL_IDS=1 to pin new resources deliberately)', () => {
    expectPinned(PINNED, currentPins(outdir, { replacingProperties: REPLACING_PROPERTIES }));
  });
});
