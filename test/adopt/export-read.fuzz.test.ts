import * as fc from 'fast-check';
import { registryExport } from './export-arbitrary';
import { readRegistryExport } from '../../src/adopt/export-read';
import { FUZZ_RUNS } from '../util/fuzz';

/** Every path into a JSON value (objects' fields and lists' items), the root excluded. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

/** The value with the thing at `path` replaced (or deleted when `replacement` is the DELETE marker). */
const DELETE = Symbol('delete');
function mutate(value: any, path: Array<string | number>, replacement: unknown): any {
  const copy = structuredClone(value);
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step];
  const last = path[path.length - 1];
  if (replacement === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = replacement;
  }
  return copy;
}

/** What a problem of the reader looks like: the file, then a JSON path or a position. */
const PROBLEM = /^export\.json(?::\d+:\d+)?: \S/;

describe('readRegistryExport (fuzzed)', () => {
  test('given a random valid export, then it reads clean, and what it reads is the file\'s JSON', () => {
    fc.assert(fc.property(registryExport(), (e) => {
      const text = JSON.stringify(e, null, 2);
      const reading = readRegistryExport(text, 'export.json');
      expect(reading.problems).toEqual([]);
      expect(JSON.parse(JSON.stringify(reading.registryExport))).toEqual(JSON.parse(text));
    }), { numRuns: FUZZ_RUNS });
  });

  test('given a random valid export with one part replaced by anything or deleted, then the reader never throws, and each problem names the file', () => {
    const case_ = registryExport(3).chain((e) => {
      const paths = pathsOf(e);
      return fc.record({
        e: fc.constant(e),
        path: fc.constantFrom(...paths),
        replacement: fc.oneof(fc.constant(DELETE), fc.anything(), fc.string(), fc.constantFrom('', 'AES', 'WILDCARD', '{', 'arn:aws:ecr:x:y:repository/z')),
      });
    });
    fc.assert(fc.property(case_, ({ e, path, replacement }) => {
      const reading = readRegistryExport(JSON.stringify(mutate(e, path, replacement)), 'export.json');
      for (const problem of reading.problems) expect(problem).toMatch(PROBLEM);
      expect(reading.registryExport === undefined).toBe(reading.problems.length > 0);
    }), { numRuns: FUZZ_RUNS * 5 });
  });

  test('given a random valid export cut short, then there is exactly one problem, with its position, and no throw', () => {
    const case_ = registryExport(3).chain((e) => {
      const text = JSON.stringify(e, null, 2);
      return fc.record({ text: fc.constant(text), at: fc.integer({ min: 0, max: text.trimEnd().length - 1 }) });
    });
    fc.assert(fc.property(case_, ({ text, at }) => {
      const reading = readRegistryExport(text.slice(0, at), 'export.json');
      expect(reading.registryExport).toBeUndefined();
      expect(reading.problems).toHaveLength(1);
      expect(reading.problems[0]).toMatch(/^export\.json(?::\d+:\d+: is not valid JSON| is empty|: is )/);
    }), { numRuns: FUZZ_RUNS * 5 });
  });

  test('given random text, then the reader never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
      const reading = readRegistryExport(text, 'export.json');
      expect(Array.isArray(reading.problems)).toBe(true);
      for (const problem of reading.problems) expect(problem).toMatch(PROBLEM);
    }), { numRuns: FUZZ_RUNS * 5 });
  });
});
