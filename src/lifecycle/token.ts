/*
 * Unresolved CDK token detection without loading aws-cdk-lib up front.
 *
 * The model is used by CDK constructs (where aws-cdk-lib is always present, as a
 * peer dependency) and by the command-line tool (where loading all of aws-cdk-lib
 * for every run would be slow and is never needed, because JSON read from a file
 * cannot contain a live token). A cheap pre-check decides whether a value could be
 * a token at all; only then is `Token.isUnresolved` from aws-cdk-lib consulted.
 */

type TokenApi = { isUnresolved(obj: unknown): boolean; asString(value: unknown): string };
type LazyApi = { uncachedString(producer: { produce(context: { scope: unknown }): string }): string };

let tokenApi: TokenApi | null | undefined;

function loadTokenApi(): TokenApi | null {
  if (tokenApi === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      tokenApi = (require('aws-cdk-lib') as { Token: TokenApi }).Token;
    } catch {
      tokenApi = null;
    }
  }
  return tokenApi;
}

/** Strings holding a token carry a `${Token[...]}` (or `#{Token[...]}` for lists) marker. */
function mightBeToken(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('Token[');
  }
  if (typeof value === 'number') {
    // CDK encodes number tokens as huge negative doubles; every usable number is a safe integer.
    return !Number.isSafeInteger(value);
  }
  if (Array.isArray(value)) {
    return value.length === 1 && mightBeToken(value[0]);
  }
  return false;
}

/**
 * True when `value` is an unresolved CDK token (string, number or list token).
 * @internal
 */
export function isUnresolvedToken(value: unknown): boolean {
  if (!mightBeToken(value)) {
    return false;
  }
  const api = loadTokenApi();
  return api !== null && api.isUnresolved(value);
}

/**
 * The string form of a token, for embedding a number token into rendered JSON.
 * @internal
 */
export function tokenAsString(value: unknown): string {
  const api = loadTokenApi();
  if (api === null) {
    throw new Error('aws-cdk-lib is needed to render a lifecycle policy that contains CDK tokens');
  }
  return api.asString(value);
}

/**
 * Lifecycle policy text rendered at synth from the rules with every token known at synth
 * resolved (`Lazy` values), so that text values are escaped as JSON. Tokens known only at
 * deploy are left in place.
 * @internal
 */
export function lazyPolicyText<T>(rules: T[], render: (resolved: T[]) => string): string {
  // Only reached when the rules hold tokens, so aws-cdk-lib is present.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const lazy: LazyApi = cdk.Lazy;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveKnown } = require('../internal/resolve') as typeof import('../internal/resolve');
  // A tag list known only at deploy (Fn.split of an import) is refused by validation at synth;
  // until then it is written as one joined string, so that resolving the text does not fail.
  const joinLists = (rule: any) => {
    const out = { ...rule };
    for (const key of ['tagPrefixList', 'tagPatternList']) {
      if (out[key] !== undefined && cdk.Tokenization.reverseList(out[key]) !== undefined) out[key] = [cdk.Fn.join('","', out[key])];
    }
    return out;
  };
  return lazy.uncachedString({ produce: (context) => render(resolveKnown(context.scope as any, rules).map(joinLists)) });
}
