import * as fs from 'fs';
import * as path from 'path';

/** What is pinned of each resource, per stack: `Type Property=value ...` by logical ID. */
export type Pins = Record<string, Record<string, string>>;

/** How a resource is pinned: the replacing properties to record, and whether deletion policies are recorded too. */
export interface PinOptions {
  /** Properties whose change replaces the resource, per type. */
  readonly replacingProperties: Record<string, string[]>;
  /** Record DeletionPolicy and UpdateReplacePolicy too. */
  readonly deletionPolicies?: boolean;
  /** Leave out AWS::CDK::Metadata. */
  readonly skipMetadata?: boolean;
}

/** The pins of every stack of a cloud assembly directory. */
export function currentPins(dir: string, opts: PinOptions): Pins {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const out: Pins = {};
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
    out[name] = {};
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      if (opts.skipMetadata && r.Type === 'AWS::CDK::Metadata') continue;
      const props = (opts.replacingProperties[r.Type] ?? []).map((p) => `${p}=${JSON.stringify(r.Properties?.[p] ?? null)}`);
      const policies = opts.deletionPolicies ? ['DeletionPolicy', 'UpdateReplacePolicy'].map((p) => `${p}=${r[p] ?? 'Delete'}`) : [];
      out[name][id] = [r.Type, ...props, ...policies].join(' ');
    }
  }
  return out;
}

/**
 * Compares the current pins with a committed pin file. With
 * UPDATE_LOGICAL_IDS=1 it first adds new resources to the file; a changed or
 * removed pin still fails. A missing pin file is a failure, never a fresh start.
 */
export function expectPinned(pinFile: string, now: Pins): void {
  if (process.env.UPDATE_LOGICAL_IDS === '1') {
    const before: Pins = fs.existsSync(pinFile) ? JSON.parse(fs.readFileSync(pinFile, 'utf8')) : {};
    const merged: Pins = JSON.parse(JSON.stringify(now));
    for (const [stack, ids] of Object.entries(before)) merged[stack] = { ...(merged[stack] ?? {}), ...ids };
    fs.writeFileSync(pinFile, JSON.stringify(merged, undefined, 2) + '\n');
  }
  expect(fs.existsSync(pinFile)).toBe(true);
  const pinned: Pins = JSON.parse(fs.readFileSync(pinFile, 'utf8'));
  const changed: string[] = [];
  for (const [stack, ids] of Object.entries(pinned)) {
    for (const [id, pin] of Object.entries(ids)) {
      const current = now[stack]?.[id];
      if (current === undefined) changed.push(`${stack}/${id} (${pin}) is gone: it would be deleted or replaced`);
      else if (current !== pin) changed.push(`${stack}/${id} changed from "${pin}" to "${current}": it would be replaced or its deletion policy changed`);
    }
  }
  const unpinned: string[] = [];
  for (const [stack, ids] of Object.entries(now)) {
    for (const id of Object.keys(ids)) if (pinned[stack]?.[id] === undefined) unpinned.push(`${stack}/${id}`);
  }
  expect(changed).toEqual([]);
  expect(unpinned).toEqual([]);
}
