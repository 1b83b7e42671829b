/**
 * EventBridge's event pattern matching, for tests: the operators the library
 * renders (exact values, `prefix`, `anything-but`, `exists`, `numeric`, `$or`)
 * with the semantics of the EventBridge User Guide ("Event patterns",
 * "Content filtering"): every field of a pattern must match (AND); a list of
 * values matches when any value matches (OR); a field whose event value is a
 * list matches when any item matches; arrays of objects are flattened, each
 * nested field matched across all items; a field the event lacks matches only
 * `exists: false`, and `exists` sees leaf values only ("exists matching only
 * works on leaf nodes"). Any other operator is refused rather than guessed.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchObject(pattern, [event]);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLeaf(v: unknown): boolean {
  return !isPlainObject(v) && !(Array.isArray(v) && v.length > 0 && v.every(isPlainObject));
}

function matchObject(pattern: Record<string, unknown>, nodes: unknown[]): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) throw new Error('$or takes a list of at least two patterns');
      if (!sub.some((alternative) => matchObject(alternative as Record<string, unknown>, nodes))) return false;
      continue;
    }
    const holders = nodes.filter((n): n is Record<string, unknown> => isPlainObject(n) && key in n);
    const values = holders.flatMap((n) => (Array.isArray(n[key]) ? (n[key] as unknown[]) : [n[key]]));
    // `exists` sees leaf values only: a field holding an object (or a list of objects) does not exist for it.
    const present = holders.some((n) => isLeaf(n[key]));
    if (Array.isArray(sub)) {
      if (sub.length === 0) throw new Error(`pattern field '${key}' has an empty list, which EventBridge refuses`);
      if (!sub.some((rule) => matchRule(rule, values, present))) return false;
    } else if (isPlainObject(sub)) {
      if (!matchObject(sub, values.filter(isPlainObject))) return false;
    } else {
      throw new Error(`pattern field '${key}' must be a list or an object, not ${JSON.stringify(sub)}`);
    }
  }
  return true;
}

function matchRule(rule: unknown, values: unknown[], present: boolean): boolean {
  if (!isPlainObject(rule)) return values.some((v) => v === rule);
  const keys = Object.keys(rule);
  if (keys.length !== 1) throw new Error(`a matching rule has one operator, not ${JSON.stringify(rule)}`);
  const [op] = keys;
  const arg = rule[op];
  switch (op) {
    case 'prefix':
      if (typeof arg !== 'string') throw new Error('prefix takes a string');
      return values.some((v) => typeof v === 'string' && v.startsWith(arg));
    case 'exists':
      if (typeof arg !== 'boolean') throw new Error('exists takes true or false');
      return arg ? present : !present;
    case 'anything-but': {
      if (!present) return false;
      const excluded = (v: unknown): boolean => {
        if (Array.isArray(arg)) return arg.includes(v);
        if (isPlainObject(arg)) {
          if (typeof arg.prefix !== 'string') throw new Error(`unsupported anything-but ${JSON.stringify(arg)}`);
          return typeof v === 'string' && v.startsWith(arg.prefix);
        }
        return v === arg;
      };
      return values.some((v) => !excluded(v));
    }
    case 'numeric': {
      if (!Array.isArray(arg) || arg.length % 2 !== 0) throw new Error('numeric takes operator/value pairs');
      return values.some((v) => {
        if (typeof v !== 'number') return false;
        for (let i = 0; i < arg.length; i += 2) {
          const [cmp, n] = [arg[i], arg[i + 1] as number];
          const ok = cmp === '>' ? v > n : cmp === '>=' ? v >= n : cmp === '<' ? v < n : cmp === '<=' ? v <= n : cmp === '=' ? v === n : undefined;
          if (ok === undefined) throw new Error(`unknown numeric operator ${cmp}`);
          if (!ok) return false;
        }
        return true;
      });
    }
    default:
      throw new Error(`the test matcher does not implement '${op}'`);
  }
}
