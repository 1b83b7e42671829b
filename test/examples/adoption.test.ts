import { runAdoptionExample } from '../../examples/adoption/main';

/*
 * The adoption example (examples/adoption): the committed export of a live registry is
 * imported into a catalog, the fleet is synthesized with CloudFormation validation and the
 * cdk-nag packs, and the adoption plan of its first deploy against the same export says
 * nothing changes.
 */
test('given the committed registry export, when imported, synthesized and planned, then the first deploy changes nothing', () => {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args.join(' ')); });
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => { lines.push(String(text)); return true; });
  try {
    expect(runAdoptionExample()).toBe(0);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  const out = lines.join('\n');
  expect(out).toContain('Imported 60 repositories');
  expect(out).toContain('repositories (60): 60 no change, 0 in-place update, 0 replacement (refused), 0 undecided, 0 created, 0 not managed');
  // Every registry-level setting of the export, reproduced by the catalog's registry block.
  expect(out).toMatch(/registry settings \((\d+)\): \1 no change, 0 in-place update, 0 replacement \(refused\), 0 undecided, 0 created, 0 not managed/);
  expect(out).toContain('nothing to fix: the first deploy replaces nothing');
});
