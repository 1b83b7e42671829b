import { App } from 'aws-cdk-lib';

/** A warning as `cdk synth` reports it: the construct path and the message (with its `[ack: ID]` tag). */
export interface SynthWarning {
  readonly path: string;
  readonly message: string;
}

/**
 * Synthesizes an app and returns the warnings with an ID that reach the cloud
 * assembly (what `cdk synth` prints), in the order of the assembly.
 */
export function synthWarnings(app: App, id: string): SynthWarning[] {
  const assembly = app.synth();
  const tag = `[ack: ${id}]`;
  return assembly.stacks.flatMap((s) => s.messages
    .filter((m) => m.entry.type === 'aws:cdk:warning' && String(m.entry.data).includes(tag))
    .map((m) => ({ path: m.id, message: String(m.entry.data) })));
}
