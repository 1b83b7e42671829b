import * as fs from 'fs';
import { fakeIo } from './fake-io';
import { CdkBootstrapTemplate } from '../../src';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { cliBootstrapTemplate } from '../bootstrap/cli-template';

/** An in-memory CLI environment: files by name, stdin text, captured output and written files. */
const ORIGINAL = `${JSON.stringify(cliBootstrapTemplate(), null, 2)}\n`;
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('cdk-ecr-platform bootstrap harden', () => {
  test('given the CLI\'s template and --out, when hardened, then the file holds the library\'s hardened template and the changes are listed', () => {
    const io = fakeIo({ 'bootstrap.json': ORIGINAL });
    expect(main(['bootstrap', 'harden', '--template', 'bootstrap.json', '--out', 'hardened.json'], io)).toBe(EXIT_OK);
    expect(Object.keys(io.written)).toEqual(['hardened.json']);
    expect(JSON.parse(io.written['hardened.json'])).toEqual(CdkBootstrapTemplate.hardenContainerAssets(JSON.parse(ORIGINAL)));
    expect(io.written['hardened.json'].endsWith('}\n')).toBe(true);
    expect(io.out).toContain('scan on push: turned on');
    expect(io.out).toContain('encryption: KMS with a new key ContainerAssetsEncryptionKey');
    expect(io.out).toContain('wrote hardened.json; deploy it with: cdk bootstrap --template hardened.json');
    expect(io.err).toBe('');
  });

  test('given standard input and no --out, when hardened with --kms-key and --untagged-days, then the template goes to stdout and the report to stderr', () => {
    const io = fakeIo({}, ORIGINAL);
    expect(main(['bootstrap', 'harden', '--template', '-', '--kms-key', KEY_ARN, '--untagged-days', '30'], io)).toBe(EXIT_OK);
    const template = JSON.parse(io.out);
    expect(template.Resources.ContainerAssetsRepository.Properties.EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: KEY_ARN });
    expect(template.Resources.ContainerAssetsRepository.Properties.LifecyclePolicy.LifecyclePolicyText).toContain('"countNumber":30');
    expect(io.err).toContain('lifecycle policy: untagged images expire 30 days after push; tagged images never expire');
    expect(io.written).toEqual({});
  });

  test('given --keep-aes256, when hardened, then the repository keeps ECR\'s encryption', () => {
    const io = fakeIo({ 'bootstrap.json': ORIGINAL });
    expect(main(['bootstrap', 'harden', '--keep-aes256', '--template=bootstrap.json'], io)).toBe(EXIT_OK);
    const template = JSON.parse(io.out);
    expect(template.Resources.ContainerAssetsRepository.Properties.EncryptionConfiguration).toBeUndefined();
    expect(template.Resources.ContainerAssetsEncryptionKey).toBeUndefined();
    expect(io.err).toContain('encryption: AES256 kept');
  });

  test('given the YAML template, when hardened, then it is refused with the command that prints JSON, and nothing is written', () => {
    const yaml = fs.readFileSync(require.resolve('aws-cdk/lib/api/bootstrap/bootstrap-template.yaml'), 'utf8');
    const io = fakeIo({ 'bootstrap.yaml': yaml });
    expect(main(['bootstrap', 'harden', '--template', 'bootstrap.yaml', '--out', 'hardened.json'], io)).toBe(EXIT_INVALID);
    expect(io.err).toContain('Bootstrap template bootstrap.yaml is not JSON (YAML is not read here');
    expect(io.err).toContain('cdk bootstrap --show-template --json > bootstrap-template.json');
    expect(io.written).toEqual({});
    expect(io.out).toBe('');
  });

  test('given a template that cannot be hardened, when hardened, then every problem is listed, it exits 1 and nothing is written', () => {
    const template = JSON.parse(ORIGINAL);
    template.Resources.ContainerAssetsRepository.Properties.LifecyclePolicy.LifecyclePolicyText = JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } }],
    });
    delete template.Outputs.BootstrapVersion;
    const io = fakeIo({ 'bootstrap.json': JSON.stringify(template) });
    expect(main(['bootstrap', 'harden', '--template', 'bootstrap.json', '--out', 'hardened.json'], io)).toBe(EXIT_INVALID);
    expect(io.err).toMatch(/^Bootstrap template bootstrap.json cannot be hardened \(1 problem\):\n- the template has no BootstrapVersion output/);
    delete template.Resources.ContainerAssetsRepository.Properties.ImageTagMutability;
    template.Outputs.BootstrapVersion = JSON.parse(ORIGINAL).Outputs.BootstrapVersion;
    const again = fakeIo({ 'bootstrap.json': JSON.stringify(template) });
    expect(main(['bootstrap', 'harden', '--template', 'bootstrap.json', '--out', 'hardened.json'], again)).toBe(EXIT_INVALID);
    expect(again.err).toContain('the rule with rulePriority 1 selects any images, so it can expire an asset image that a deployed stack references by its tag');
    expect({ ...io.written, ...again.written }).toEqual({});
  });

  test.each([
    [['bootstrap'], 'bootstrap needs a command: harden'],
    [['bootstrap', 'shrink'], 'unknown command "bootstrap shrink"'],
    [['bootstrap', 'harden'], '--template FILE is required'],
    [['bootstrap', 'harden', '--template', 'b.json', '--kms-key', KEY_ARN, '--keep-aes256'], 'give --kms-key or --keep-aes256, not both'],
    [['bootstrap', 'harden', '--template', 'b.json', '--untagged-days', '0'], '--untagged-days "0" is not a positive whole number'],
    [['bootstrap', 'harden', '--template', 'b.json', '--out', '-'], '--out must name a file'],
    [['bootstrap', 'harden', '--template', 'b.json', '--policy', 'p.json'], '--policy is an option of lifecycle validate and lifecycle preview, not of bootstrap harden'],
    [['bootstrap', 'harden', '--template', 'b.json', 'extra'], 'unexpected argument "extra"'],
    [['lifecycle', 'validate', '--policy', 'p.json', '--keep-aes256'], '--keep-aes256 is an option of bootstrap harden'],
    [['catalog', 'validate', 'c.yaml', '--keep-aes256'], '--keep-aes256 is an option of bootstrap harden'],
  ])('given %j, then it is a usage error: %s', (args, message) => {
    const io = fakeIo({ 'b.json': ORIGINAL });
    expect(main(args, io)).toBe(EXIT_USAGE);
    expect(io.err).toContain(`cdk-ecr-platform: ${message}`);
    expect(io.written).toEqual({});
  });

  test('given a template file that cannot be read, then it says so and exits 2', () => {
    const io = fakeIo();
    expect(main(['bootstrap', 'harden', '--template', 'missing.json'], io)).toBe(EXIT_USAGE);
    expect(io.err).toMatch(/^cdk-ecr-platform: cannot read bootstrap template missing.json: ENOENT/);
  });
});
