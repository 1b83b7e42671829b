import { guardConstruct, STRING, optional } from '../../src/internal/input';

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
