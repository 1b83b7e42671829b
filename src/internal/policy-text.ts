import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MAX_POLICY_TEXT } from './ecr-facts';
import { isConcrete } from './problems';

/*
 * Policy documents as ECR receives them: the statement IDs the library
 * derives, and the text length ECR limits.
 */

/** The longest `Sid` the library writes: a long list of accounts is cut, so that the ID stays readable in messages. */
const MAX_SID = 100;

/**
 * The `Sid` of a statement the library writes: a kind followed by the values
 * that tell its statements apart (accounts, organization, prefix), with
 * every character other than a letter or digit left out (ECR and IAM take
 * alphanumeric Sids only), cut at 100 characters. Undefined when a value
 * is not known at synth: the statement then has no Sid (or the caller uses
 * the kind alone).
 *
 * @internal
 */
export function statementSid(kind: string, values: readonly string[]): string | undefined {
  if (!values.every(isConcrete)) return undefined;
  return `${kind}${values.map((v) => v.replace(/[^A-Za-z0-9]/g, '')).join('')}`.slice(0, MAX_SID);
}

/**
 * A resolved value with every intrinsic replaced by its literal text only:
 * the literal parts of an `Fn::Join`, nothing ('') for a value known only at
 * deploy.
 */
function withoutIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIntrinsics);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      const [key, arg] = entries[0];
      if (key === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
        return arg[1].map((p) => withoutIntrinsics(p)).filter((p) => typeof p === 'string').join(typeof arg[0] === 'string' ? arg[0] : '');
      }
      return '';
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, withoutIntrinsics(v)]));
  }
  return value;
}

/**
 * The length of a policy document's JSON text as ECR will receive it,
 * counting only what is known at synth: values known only at deploy (an
 * account from a parameter, an imported ARN) count as nothing, so the result
 * is a lower bound and never refuses a policy ECR would take.
 *
 * @internal
 */
export function concretePolicyLength(scope: IConstruct, document: unknown): number {
  const resolved = Stack.of(scope).resolve(document);
  // A resolved policy shared by many repositories (cached per stack) is measured once.
  const known = resolved !== null && typeof resolved === 'object' ? lengths.get(resolved) : undefined;
  if (known !== undefined) return known;
  const length = JSON.stringify(withoutIntrinsics(resolved) ?? null).length;
  if (resolved !== null && typeof resolved === 'object') lengths.set(resolved, length);
  return length;
}

/** Lengths of resolved policies, by the resolved object. */
const lengths = new WeakMap<object, number>();

/**
 * The problem of a policy over ECR's 10,240-character quota, or undefined.
 *
 * @param what the policy, as messages name it (`the repository policy`)
 * @param length its concrete length (`concretePolicyLength`)
 * @param advice what to do instead
 * @internal
 */
export function policySizeProblem(what: string, length: number, advice: string): string | undefined {
  if (length <= MAX_POLICY_TEXT) return undefined;
  return `${what} has at least ${length} characters (not counting values known only at deploy): ECR takes at most ${MAX_POLICY_TEXT}. ${advice}`;
}
