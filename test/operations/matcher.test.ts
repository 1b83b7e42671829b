import { matchesPattern } from './matcher';

/* The test matcher is itself checked against EventBridge's documented semantics. */
describe('the test matcher of EventBridge patterns', () => {
  const event = { source: 'aws.ecr', detail: { 'result': 'SUCCESS', 'repository-name': 'team-a/api', 'tags': ['a', 'b'], 'n': 5, 'items': [{ k: 'x', v: 1 }, { k: 'y', v: 2 }] } };

  test.each([
    ['an exact value', { source: ['aws.ecr'] }, true],
    ['one of several values (OR)', { source: ['aws.s3', 'aws.ecr'] }, true],
    ['a value the event does not have', { source: ['aws.s3'] }, false],
    ['nested fields, every one (AND)', { source: ['aws.ecr'], detail: { 'result': ['SUCCESS'], 'repository-name': ['team-a/api'] } }, true],
    ['nested fields, one failing', { source: ['aws.ecr'], detail: { 'result': ['SUCCESS'], 'repository-name': ['team-b/api'] } }, false],
    ['a prefix', { detail: { 'repository-name': [{ prefix: 'team-a/' }] } }, true],
    ['a prefix that does not start the value', { detail: { 'repository-name': [{ prefix: 'api' }] } }, false],
    ['anything-but a value it has', { detail: { result: [{ 'anything-but': ['SUCCESS'] }] } }, false],
    ['anything-but another value', { detail: { result: [{ 'anything-but': ['FAILED'] }] } }, true],
    ['anything-but on a missing field', { detail: { missing: [{ 'anything-but': ['x'] }] } }, false],
    ['exists true on a present field', { detail: { result: [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { result: [{ exists: false }] } }, false],
    ['exists false on a missing field', { detail: { errorCode: [{ exists: false }] } }, true],
    ['a missing field', { detail: { errorCode: ['x'] } }, false],
    ['exists true on a field holding an object (exists sees leaf nodes only)', { detail: { items: [{ exists: true }] } }, false],
    ['exists true on a list of values', { detail: { tags: [{ exists: true }] } }, true],
    ['a prefix on a list value, any item', { detail: { tags: [{ prefix: 'b' }] } }, true],
    ['a numeric range on a string', { detail: { result: [{ numeric: ['>', 0] }] } }, false],
    ['a list value, any item', { detail: { tags: ['b'] } }, true],
    ['a numeric range', { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['a numeric range missed', { detail: { n: [{ numeric: ['>', 5] }] } }, false],
    ['a field inside a list of objects', { detail: { items: { k: ['y'] } } }, true],
    ['$or, one alternative matching', { detail: { $or: [{ n: [1] }, { result: ['SUCCESS'] }] } }, true],
    ['$or, none matching', { detail: { $or: [{ n: [1] }, { result: ['FAILED'] }] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  test('refuses an operator it does not implement rather than guess', () => {
    expect(() => matchesPattern({ source: [{ wildcard: 'aws.*' }] }, event)).toThrow(/does not implement 'wildcard'/);
  });
});
