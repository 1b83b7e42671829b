import * as fc from 'fast-check';
import { BOOLEAN, Expect, fits, guardConstruct, inputProblems, instanceOf, listOf, mapOf, NUMBER, OBJECT, oneOf, optional, STRING, struct } from '../../src/internal/input';

describe('guardConstruct', () => {
  test('given valid arguments, when checked, then the scope\'s path is never read (a fleet checks thousands of constructs)', () => {
    let reads = 0;
    const scope = { node: { get path() { reads++; return 'App/Stack'; } } };
    guardConstruct('Thing', scope, 'Id', { name: 'x' }, { name: optional(STRING) });
    expect(reads).toBe(0);
  });

  test('given invalid arguments, when checked, then the error names the construct by its path', () => {
    const scope = { node: { path: 'App/Stack' } };
    expect(() => guardConstruct('Thing', scope, 'Id', { name: 3 }, { name: optional(STRING) })).toThrow(/Thing 'App\/Stack\/Id'.*props.name is 3: expected a string/s);
  });
});

describe('fits (the fast path of guard)', () => {
  class Thing {}
  const shapes: [string, Expect][] = [
    ['STRING', STRING],
    ['optional(NUMBER)', optional(NUMBER)],
    ['BOOLEAN', BOOLEAN],
    ['OBJECT', OBJECT],
    ['oneOf', oneOf(['A', 'B'])],
    ['instanceOf', optional(instanceOf(Thing))],
    ['listOf(STRING)', listOf(STRING)],
    ['optional(listOf(oneOf))', optional(listOf(oneOf(['A', 'B'])))],
    ['mapOf(NUMBER)', mapOf(NUMBER)],
    ['struct', struct({ name: STRING, tags: optional(mapOf(STRING)), items: optional(listOf(struct({ n: NUMBER }))) })],
  ];
  const values = fc.oneof(
    fc.anything(),
    fc.constantFrom('A', 'B', new Thing(), null, undefined),
    fc.array(fc.oneof(fc.string(), fc.constantFrom('A', 'B', null, undefined), fc.integer())),
    fc.sparseArray(fc.oneof(fc.constantFrom('A'), fc.integer())),
    fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.constant(null))),
    fc.record({
      name: fc.oneof(fc.string(), fc.integer()),
      tags: fc.option(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), { nil: undefined }),
      items: fc.option(fc.array(fc.record({ n: fc.oneof(fc.integer(), fc.string()) })), { nil: undefined }),
    }, { requiredKeys: [] }),
  );

  test.each(shapes)('given any value, when checked against %s, then it fits exactly when the full check finds no problem', (_, shape) => {
    fc.assert(fc.property(values, (value) => fits(value, shape) === (inputProblems('value', value, shape).length === 0)), { numRuns: 300 });
  });

  test('given props with a wrong field, when guarded, then the error is the full check\'s', () => {
    const spec = { name: optional(STRING), items: optional(listOf(STRING)) };
    expect(() => guardConstruct('Thing', { node: { path: 'App/Stack' } }, 'Id', { name: 'x', items: ['a', 3] }, spec))
      .toThrow("Thing 'App/Stack/Id': 1 problem:\n  - props.items[1] is 3: expected a string");
    expect(() => guardConstruct('Thing', { node: { path: 'App/Stack' } }, 'Id', undefined, { name: STRING })).toThrow('props is undefined: expected an object');
  });
});
