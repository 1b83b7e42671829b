import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as facts from '../../src/internal/ecr-facts';

const SRC = path.join(__dirname, '..', '..', 'src');
const FACTS_FILE = path.join(SRC, 'internal', 'ecr-facts.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * Every string and number literal of a source file, as written in code
 * (comments and the text around `${...}` in messages are not literals of
 * their own, so prose that names a fact is not counted).
 */
function literals(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) {
      // A string enum member must be initialized with a literal: the enum is then the fact's home.
      if (!ts.isEnumMember(node.parent)) {
        const text = ts.isNumericLiteral(node) ? String(Number(node.text)) : node.text;
        found.push({ text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The facts that must be written only in ecr-facts.ts, as the values they hold. */
const SINGLE_HOME: string[] = [...new Set([
  facts.CREDENTIAL_SECRET_PREFIX,
  facts.ROOT_PREFIX,
  ...facts.REPLICATION_ACTIONS,
  ...facts.PULL_THROUGH_ACTIONS,
  ...facts.REGISTRY_SINGLETON_TYPES,
  ...facts.IMMUTABLE_TAG_MUTABILITIES.filter((v) => v !== facts.CONTROL_TOWER_TAG_MUTABILITY),
  facts.EncryptionType.KMS_DSSE,
  ...facts.KMS_DSSE_REGIONS,
  '_WITH_EXCLUSION',
  String(facts.MAX_POLICY_TEXT),
])];

/** Facts the compliance rules read: no rule may spell them itself. */
const RULE_FACTS: string[] = [
  ...SINGLE_HOME,
  ...Object.values(facts.EcrType),
  ...facts.IMMUTABLE_TAG_MUTABILITIES,
  ...Object.values(facts.POLICY_PROPERTY),
  ...Object.values(facts.EncryptionType),
];

describe('one home for ECR\'s facts', () => {
  const files = sourceFiles(SRC).filter((f) => f !== FACTS_FILE);

  test('the facts module holds the values the constructs and the compliance pack rely on', () => {
    expect(facts.CREDENTIAL_SECRET_PREFIX).toBe('ecr-pullthroughcache/');
    expect([...facts.REPLICATION_ACTIONS].sort()).toEqual(['ecr:CreateRepository', 'ecr:ReplicateImage']);
    expect([...facts.PULL_THROUGH_ACTIONS].sort()).toEqual(['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']);
    expect([...facts.IMMUTABLE_TAG_MUTABILITIES].sort()).toEqual(['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION']);
    expect(facts.CONTROL_TOWER_TAG_MUTABILITY).toBe('IMMUTABLE');
    expect([...facts.REGISTRY_SINGLETON_TYPES].sort()).toEqual([
      'AWS::ECR::RegistryPolicy', 'AWS::ECR::RegistryScanningConfiguration', 'AWS::ECR::ReplicationConfiguration', 'AWS::ECR::SigningConfiguration',
    ]);
    expect(facts.MAX_POLICY_TEXT).toBe(10240);
  });

  test.each(SINGLE_HOME.map((v) => [v]))('%s is written in src/internal/ecr-facts.ts only', (value) => {
    const elsewhere = files.flatMap((f) => literals(f).filter((l) => l.text === value).map((l) => `${path.relative(SRC, f)}:${l.line}`));
    expect(elsewhere).toEqual([]);
  });

  test('no compliance rule spells an ECR fact itself: each imports it from the facts module', () => {
    const rules = fs.readdirSync(path.join(SRC, 'compliance', 'rules')).map((f) => path.join(SRC, 'compliance', 'rules', f));
    rules.push(path.join(SRC, 'compliance', 'pack.ts'));
    const spelled = rules.flatMap((f) => literals(f).filter((l) => RULE_FACTS.includes(l.text)).map((l) => `${path.relative(SRC, f)}:${l.line} '${l.text}'`));
    expect(spelled).toEqual([]);
    const importing = rules.filter((f) => /from '\.\.\/(\.\.\/)?internal\/ecr-facts'/.test(fs.readFileSync(f, 'utf8')));
    // every rule that looks at a resource type (all but none) reads it from the facts module
    expect(importing.map((f) => path.basename(f)).sort()).toEqual(rules.map((f) => path.basename(f)).sort());
  });

  test.each<[string, string, boolean]>([
    // [prefix, repository name, covered]: 'team' and 'team/' are one prefix, ROOT covers every name
    ['team', 'team/api', true],
    ['team/', 'team/api', true],
    ['team', 'teams/api', false],
    ['team', 'team', false],
    ['ROOT', 'anything/at-all', true],
  ])('prefix %s covers %s: %s', (prefix, name, covered) => {
    expect(facts.prefixCovers(prefix, name)).toBe(covered);
  });

  test('prefixes are normalized one way: the trailing / is dropped, ROOT stays, and ROOT stands for every repository', () => {
    expect(facts.normalizePrefix('team/')).toBe('team');
    expect(facts.normalizePrefix('team')).toBe('team');
    expect(facts.normalizePrefix('ROOT')).toBe('ROOT');
    expect(facts.repositoryNamePrefix('team')).toBe('team/');
    expect(facts.repositoryNamePrefix('team/')).toBe('team/');
    expect(facts.repositoryNamePrefix('ROOT')).toBeUndefined();
    expect(facts.repositoryNamePrefix(undefined)).toBeUndefined();
  });

  test.each<[string, boolean]>([
    ['arn:aws:ecr:eu-west-1:111111111111:repository/team/*', true],
    ['arn:aws-cn:ecr:cn-north-1:111111111111:repository/x', true],
    ['arn:aws:ecr:eu-west-1:111111111111:registry/x', false],
    ['arn:aws:s3:::bucket/repository/x', false],
    ['*', false],
  ])('the repository ARN pattern takes %s: %s', (arn, ok) => {
    expect(facts.REPOSITORY_ARN_PATTERN.test(arn)).toBe(ok);
  });

  test.each<[string, boolean]>([
    ['team/api', true],
    ['a.b-c_d/e', true],
    ['Team/api', false],
    ['team//api', false],
    ['team/', false],
  ])('the repository name pattern takes %s: %s; a template prefix may end with /', (name, ok) => {
    expect(facts.REPOSITORY_NAME_PATTERN.test(name)).toBe(ok);
    if (name.endsWith('/') && !name.includes('//')) expect(facts.TEMPLATE_PREFIX_PATTERN.test(name)).toBe(true);
  });
});
