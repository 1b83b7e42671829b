import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { ISynthesisSession, Stack } from 'aws-cdk-lib';

/** CloudFormation's limit on a template's size (uploaded through S3). @internal */
export const TEMPLATE_BYTE_LIMIT = 1_000_000;

/**
 * Measures a shard stack's template when it is written, exactly (the bytes
 * of the file CloudFormation receives), and fails the synthesis when it is
 * larger than the fleet's budget. Placement works with estimates (the
 * template does not exist yet when a repository is placed); this is the
 * check that holds whatever the estimate says.
 *
 * The stack's own synthesizer is kept: its `synthesize` is wrapped on the
 * stack's bound instance (each stack binds a synthesizer of its own), and
 * the file is measured once it is written.
 *
 * @internal
 */
export function measureTemplateAtSynth(stack: Stack, maxBytes: number, subject: string, measured: Map<string, number>): void {
  const synthesizer = stack.synthesizer;
  const synthesize = synthesizer.synthesize.bind(synthesizer);
  Object.defineProperty(synthesizer, 'synthesize', {
    configurable: true,
    value: (session: ISynthesisSession) => {
      synthesize(session);
      const file = path.join(session.assembly.outdir, stack.templateFile);
      if (!existsSync(file)) return; // a synthesizer that writes no template
      const bytes = statSync(file).size;
      measured.set(stack.node.path, bytes);
      if (bytes > maxBytes) {
        throw new Error(`${subject}: stack '${stack.node.path}' has a template of ${bytes} bytes (measured after synthesis), more than maxTemplateBytesPerStack ${maxBytes}`
          + ` (CloudFormation takes at most ${TEMPLATE_BYTE_LIMIT}): its repositories need more bytes than the fleet estimated when placing them.`
          + ' Lower maxTemplateBytesPerStack so that new repositories go to new shards, or move repositories out of this shard (see the move procedure).');
      }
    },
  });
}
