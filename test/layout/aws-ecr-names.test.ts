import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * A user imports aws-cdk-lib's `aws_ecr` and this library side by side, often by name
 * (`import { Repository, TagMutability } from 'aws-cdk-lib/aws-ecr'`). No public name of
 * the library may be a name aws_ecr exports (classes, interfaces, enums and types), so
 * that both can be imported by name without aliasing.
 */

const PUBLIC_NAMES = fs.readFileSync(path.join(__dirname, 'public-names.txt'), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** Every name the aws-cdk-lib/aws-ecr module exports, types included, read with the TypeScript checker. */
let exportsRead: string[] | undefined;
function awsEcrExports(): string[] {
  if (exportsRead) return exportsRead;
  const entry = require.resolve('aws-cdk-lib/aws-ecr').replace(/\.js$/, '.d.ts');
  const program = ts.createProgram([entry], { noResolve: false, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  exportsRead = checker.getExportsOfModule(module).map((s) => s.getName());
  return exportsRead;
}

test('aws_ecr exports the names this check compares with (its reader works)', () => {
  const names = awsEcrExports();
  expect(names).toEqual(expect.arrayContaining(['Repository', 'RepositoryEncryption', 'LifecycleRule', 'TagStatus', 'TagMutability', 'CfnRepository']));
});

test('no public name of the library is also exported by aws_ecr', () => {
  const theirs = new Set(awsEcrExports());
  expect(PUBLIC_NAMES.filter((name) => theirs.has(name))).toEqual([]);
});
