/**
 * Resolving a template's values against what an export says of the account:
 * the pseudo parameters (`AWS::AccountId`, `AWS::Region`, `AWS::Partition`,
 * `AWS::URLSuffix`), `Fn::Join`, `Fn::Sub` over them and `Fn::Select`/`Fn::Split`
 * of resolved values. A `Ref` or `Fn::GetAtt` of a resource of the same
 * template is a value that resource creates (a new key, a new role); anything
 * else (parameters, imports, conditions, other stacks) cannot be known before
 * the deploy. Nothing here guesses: what is not resolved says why.
 *
 * @module
 */

/** What a template's value resolves to. */
export type Resolved =
  | { readonly kind: 'value'; readonly value: unknown }
  /** An attribute of a resource the same template creates. */
  | { readonly kind: 'created'; readonly resource: string; readonly type: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** What a value is resolved against. */
export interface ResolveContext {
  readonly account: string;
  readonly region: string;
  /** The template's resources: logical ID to type. */
  readonly resources: ReadonlyMap<string, string>;
}

/** The partition and URL suffix of a region. */
export function partitionOf(region: string): { partition: string; urlSuffix: string } {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

class Unresolved extends Error {
  constructor(readonly result: Resolved) {
    super('unresolved');
  }
}

/** A value with every intrinsic function resolved, or why it cannot be. */
export function resolveValue(value: unknown, context: ResolveContext): Resolved {
  try {
    return { kind: 'value', value: walk(value, context) };
  } catch (error) {
    if (error instanceof Unresolved) return error.result;
    throw error;
  }
}

function pseudo(name: string, context: ResolveContext): string | undefined {
  const { partition, urlSuffix } = partitionOf(context.region);
  switch (name) {
    case 'AWS::AccountId': return context.account;
    case 'AWS::Region': return context.region;
    case 'AWS::Partition': return partition;
    case 'AWS::URLSuffix': return urlSuffix;
    default: return undefined;
  }
}

/** The value resolved; a value with no intrinsic function in it is returned as it is (not copied). */
function walk(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], context);
      if (copy === undefined && v !== value[i]) copy = value.slice(0, i);
      copy?.push(v);
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
    return intrinsic(entries[0][0], entries[0][1], context);
  }
  let changed = false;
  const walked = entries.map(([k, v]) => {
    const w = walk(v, context);
    if (w !== v) changed = true;
    return [k, w] as const;
  });
  return changed ? Object.fromEntries(walked) : value;
}

function intrinsic(name: string, argument: unknown, context: ResolveContext): unknown {
  const fail = (reason: string): never => {
    throw new Unresolved({ kind: 'unknown', reason });
  };
  switch (name) {
    case 'Ref': {
      if (typeof argument !== 'string') return fail('a Ref that names nothing');
      const known = pseudo(argument, context);
      if (known !== undefined) return known;
      const type = context.resources.get(argument);
      if (type !== undefined) throw new Unresolved({ kind: 'created', resource: argument, type });
      return fail(argument.startsWith('AWS::') ? `the pseudo parameter ${argument}` : `the parameter ${argument}, known only at deploy`);
    }
    case 'Fn::GetAtt': {
      const target = Array.isArray(argument) ? argument[0] : typeof argument === 'string' ? argument.split('.')[0] : undefined;
      const type = typeof target === 'string' ? context.resources.get(target) : undefined;
      if (type !== undefined) throw new Unresolved({ kind: 'created', resource: target as string, type });
      return fail(`Fn::GetAtt of ${JSON.stringify(target)}, which is not in the template`);
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') return fail('a malformed Fn::Join');
      const parts = walk(argument[1], context);
      if (!Array.isArray(parts) || parts.some((p) => typeof p !== 'string' && typeof p !== 'number')) return fail('Fn::Join of a value that is not a list of strings');
      return (parts as unknown[]).map(String).join(argument[0]);
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(argument) ? [argument[0], walk(argument[1] ?? {}, context)] : [argument, {}];
      if (typeof text !== 'string' || typeof variables !== 'object' || variables === null) return fail('a malformed Fn::Sub');
      return text.replace(/\$\{([^}!]+)\}/g, (_, v: string) => {
        const given = (variables as Record<string, unknown>)[v];
        if (typeof given === 'string' || typeof given === 'number') return String(given);
        const known = pseudo(v, context);
        if (known !== undefined) return known;
        const target = v.split('.')[0];
        const type = context.resources.get(target);
        if (type !== undefined) throw new Unresolved({ kind: 'created', resource: target, type });
        return fail(`\${${v}} in Fn::Sub, known only at deploy`);
      });
    }
    case 'Fn::Select': {
      if (!Array.isArray(argument) || argument.length !== 2) return fail('a malformed Fn::Select');
      const index = Number(walk(argument[0], context));
      const list = walk(argument[1], context);
      if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) return fail('Fn::Select out of its list');
      return list[index];
    }
    case 'Fn::Split': {
      if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') return fail('a malformed Fn::Split');
      const text = walk(argument[1], context);
      if (typeof text !== 'string') return fail('Fn::Split of a value that is not a string');
      return text.split(argument[0]);
    }
    case 'Fn::ImportValue':
      return fail('Fn::ImportValue: an output of another stack, known only at deploy');
    default:
      return fail(`${name}, which is evaluated at deploy`);
  }
}
