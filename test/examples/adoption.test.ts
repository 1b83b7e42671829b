import { runAdoptionExample } from '../../examples/adoption/main';

/*
 * The adoption example (examples/adoption): the committed export of a live registry is
 * imported into a catalog, the fleet is synthesized with CloudFormation validation, the
 * cdk-nag packs and the AWS Control Tower controls (the import acknowledges, per entry, the
 * controls the live settings fail), and the adoption plan of its first deploy against the
 * same export says nothing changes and lists those controls.
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
  // The Control Tower rules ran, and every finding they raise is acknowledged by the import.
  expect(out).toContain('Synthesizing with CloudFormation validation, five cdk-nag packs and the AWS Control Tower controls');
  expect(out).toMatch(/from CloudFormation Validate, EcrCompliance, AwsSolutions, NIST\.800\.53\.R5, HIPAA\.Security, PCI\.DSS\.321, cdk-validator-cfnguard:\n\s+none/);
  expect(out).toMatch(/AWS Control Tower: 46 repositories have settings its controls refuse, acknowledged per entry/);
  expect(out).toMatch(/AWS Control Tower: 46 of 60 repositories fail controls on repositories in the templates/);
});
