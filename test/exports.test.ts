import { Template } from 'aws-cdk-lib/assertions';
import * as lib from '../src';
import { PrivateRepository, RepositoryAccess } from '../src';
import { strictStack } from './util/harness';
import { PULL_ACTIONS, PUSH_ACTIONS } from '../src/repository/access';

/*
 * No exported mutable state: every array or object the package exports (constants,
 * enums) is frozen, so that no module of an app can change what the library renders.
 * Instances of the library's classes (ImageEncryption.AES256, ...) are not frozen:
 * the jsii kernel attaches its object ID to every instance it hands to Python, Java, .NET
 * or Go with Object.defineProperty, which a frozen object refuses.
 */

// the package's constants, and the action lists every access statement is made from
const constants: [string, unknown][] = [
  ...Object.entries(lib).filter(([, value]) => typeof value === 'object' && value !== null),
  ['PULL_ACTIONS', PULL_ACTIONS],
  ['PUSH_ACTIONS', PUSH_ACTIONS],
];

/** Every object reachable from a value, the value included. */
function reachable(value: object, seen = new Set<object>()): object[] {
  if (seen.has(value)) return [];
  seen.add(value);
  const found = [value];
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) found.push(...reachable(child, seen));
  }
  return found;
}

describe('exported constants', () => {
  test('there are constants to check (enums and action lists)', () => {
    const names = constants.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['PULL_ACTIONS', 'PUSH_ACTIONS', 'LifecycleTagStatus', 'ScanFrequency']));
  });

  test.each(constants)('%s is frozen, and so is everything it holds', (_name, value) => {
    for (const object of reachable(value as object)) {
      expect(Object.isFrozen(object)).toBe(true);
    }
  });

  test.each(constants)('%s cannot be changed: adding, overwriting or deleting a member throws and changes nothing', (_name, value) => {
    const before = JSON.stringify(value);
    const target = value as Record<string, unknown>;
    const [firstKey] = Object.keys(target);
    expect(() => { target.addedByAnApp = 'ecr:DeleteRepository'; }).toThrow(TypeError);
    if (firstKey !== undefined) {
      expect(() => { target[firstKey] = 'ecr:DeleteRepository'; }).toThrow(TypeError);
      expect(() => { delete target[firstKey]; }).toThrow(TypeError);
    }
    if (Array.isArray(value)) {
      expect(() => (value as string[]).push('ecr:DeleteRepository')).toThrow(TypeError);
      expect(() => (value as string[]).splice(0, 1)).toThrow(TypeError);
    }
    expect(JSON.stringify(value)).toBe(before);
  });

  test('given an app that tries to widen PULL_ACTIONS, then pull statements still grant exactly the pull actions', () => {
    expect(() => (PULL_ACTIONS as string[]).push('ecr:DeleteRepository')).toThrow(TypeError);
    const stack = strictStack();
    new PrivateRepository(stack, 'Repo', { access: [RepositoryAccess.pullFromAccounts(['222222222222'])] });
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0].Properties.RepositoryPolicyText;
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
  });
});
