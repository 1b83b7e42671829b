import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatformApp } from '../../examples/platform/app';
import { describeFindings, synthesize } from '../util/harness';

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

function currentIds(dir: string): Record<string, Record<string, string>> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const out: Record<string, Record<string, string>> = {};
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
    out[name] = {};
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      const pinned = (REPLACING_PROPERTIES[r.Type] ?? []).map((p) => `${p}=${JSON.stringify(r.Properties?.[p] ?? null)}`);
      out[name][id] = [r.Type, ...pinned].join(' ');
    }
  }
  return out;
}

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
    const now = currentIds(outdir);
    if (process.env.UPDATE_LOGICAL_IDS === '1') {
      const before = fs.existsSync(PINNED) ? JSON.parse(fs.readFileSync(PINNED, 'utf8')) : {};
      // Only additions may be written: a changed or removed pin still fails below.
      const merged: Record<string, Record<string, string>> = JSON.parse(JSON.stringify(now));
      for (const [stack, ids] of Object.entries<Record<string, string>>(before)) {
        merged[stack] = { ...(merged[stack] ?? {}), ...ids };
      }
      fs.writeFileSync(PINNED, JSON.stringify(merged, undefined, 2) + '\n');
    }
    // A missing pin file is a failure, not a fresh start: pins are only written on request.
    expect(fs.existsSync(PINNED)).toBe(true);
    const pinned: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(PINNED, 'utf8'));
    const changed: string[] = [];
    for (const [stack, ids] of Object.entries(pinned)) {
      for (const [id, pin] of Object.entries(ids)) {
        const current = now[stack]?.[id];
        if (current === undefined) changed.push(`${stack}/${id} (${pin}) is gone: it would be deleted or replaced`);
        else if (current !== pin) changed.push(`${stack}/${id} changed from "${pin}" to "${current}": it would be replaced`);
      }
    }
    const unpinned: string[] = [];
    for (const [stack, ids] of Object.entries(now)) {
      for (const id of Object.keys(ids)) if (pinned[stack]?.[id] === undefined) unpinned.push(`${stack}/${id}`);
    }
    expect(changed).toEqual([]);
    expect(unpinned).toEqual([]);
  });
});
