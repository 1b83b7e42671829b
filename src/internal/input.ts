
/*
 * Guards for what untyped callers pass (JavaScript, and Python, Java or .NET through
 * jsii): `null` or `undefined` where a value is required, lists that are not lists or
 * hold `null`, numbers given as text, strings outside an enum. Every public entry point
 * runs its arguments through `guard` first, so that a wrong type is answered with the
 * library's usual error (construct, value, rule) instead of a TypeError further down.
 * Values of the right type are left to the construct's own checks.
 */

/** One error listing every problem of a subject. @internal */
export function formatProblems(subject: string, messages: string[]): string {
  const n = messages.length;
  return `${subject}: ${n} problem${n === 1 ? '' : 's'}:\n${messages.map((m) => `  - ${m}`).join('\n')}`;
}

/**
 * The error every check throws: the message lists every problem, and the
 * same list is kept as data for programs (a CI step, an editor) that read
 * errors rather than print them. JavaScript and TypeScript callers read
 * `subject` and `problems` from the caught error; through jsii, Python, Java,
 * .NET and Go see the message.
 *
 * @internal
 */
export class ProblemsError extends Error {
  /** The construct or call checked: its type and path, for example `PrivateRepository 'Stack/Api'`. */
  public readonly subject: string;
  /** Every problem found, one rule broken each, in the order of the message. */
  public readonly problems: string[];

  constructor(subject: string, problems: string[]) {
    super(formatProblems(subject, problems));
    this.name = 'ProblemsError';
    this.subject = subject;
    this.problems = [...problems];
  }
}

/** Says what was expected when a value does not fit, or undefined when it does. @internal */
export type Expect = (value: unknown) => string | undefined;

const ofType = (type: string, what: string): Expect => (v) => (typeof v === type ? undefined : what);

/** A string (tokens included). @internal */
export const STRING: Expect = ofType('string', 'a string');
/** A number (tokens included). @internal */
export const NUMBER: Expect = ofType('number', 'a number');
/** true or false. @internal */
export const BOOLEAN: Expect = ofType('boolean', 'true or false');
/** Any object: a construct, a key, a role, a props struct. @internal */
export const OBJECT: Expect = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'an object');

/** One of the values of an enum (or of a list of strings). @internal */
export function oneOf(values: Record<string, string> | readonly string[]): Expect {
  const allowed = Array.isArray(values) ? values : Object.values(values);
  return (v) => (typeof v === 'string' && allowed.includes(v) ? undefined : `one of ${allowed.join(', ')}`);
}

/** An instance of a class of this library (enum-like classes, policies). @internal */
export function instanceOf(type: { readonly prototype: unknown; readonly name: string }, name = type.name): Expect {
  return (v) => (v instanceof (type as any) ? undefined : `a ${name}`);
}

/** A list whose every item fits `item`. @internal */
export function listOf(item: Expect): Expect {
  const list: Expect = (v) => (Array.isArray(v) ? undefined : `a list (each item ${item(undefined)})`);
  (list as any).item = item;
  return list;
}

/** A map from string keys to values that fit `item`. @internal */
export function mapOf(item: Expect): Expect {
  const map: Expect = (v) => (OBJECT(v) === undefined ? undefined : `a map (each value ${item(undefined)})`);
  (map as any).item = item;
  return map;
}

/** A props struct whose fields have these shapes. @internal */
export function struct(spec: Spec): Expect {
  const shape: Expect = (v) => OBJECT(v);
  (shape as any).fields = spec;
  return shape;
}

/** Marks a value as optional: `undefined` (left out) fits, `null` does not. @internal */
export function optional(expect: Expect): Expect {
  const wrapped: Expect = (v) => (v === undefined ? undefined : expect(v));
  (wrapped as any).inner = expect;
  return wrapped;
}

/** Shapes of the fields of a props struct. @internal */
export type Spec = Record<string, Expect>;

/** A short description of a value for a message. @internal */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  const name = Object.getPrototypeOf(v)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** The problems of one value against its expected shape, items of lists and maps included. @internal */
export function inputProblems(what: string, value: unknown, expect: Expect): string[] {
  const inner: Expect = (expect as any).inner ?? expect;
  if (value === undefined && inner !== expect) return [];
  const wrong = expect(value);
  if (wrong !== undefined) return [`${what} is ${describeValue(value)}: expected ${wrong}`];
  const fields = (inner as any).fields as Spec | undefined;
  if (fields !== undefined) {
    return Object.entries(fields).flatMap(([field, e]) => inputProblems(`${what}.${field}`, (value as Record<string, unknown>)[field], e));
  }
  const item = (inner as any).item as Expect | undefined;
  if (item === undefined) return [];
  const out: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...inputProblems(`${what}[${i}]`, v, item)));
  } else {
    for (const [k, v] of Object.entries(value as object)) out.push(...inputProblems(`${what}['${k}']`, v, item));
  }
  return out;
}

/**
 * True when a value has its expected shape: `inputProblems` would find nothing.
 * It builds no message and no list on the way, so a valid argument (nearly
 * every one) costs a few type checks.
 *
 * @internal
 */
export function fits(value: unknown, expect: Expect): boolean {
  const inner: Expect = (expect as any).inner ?? expect;
  if (value === undefined && inner !== expect) return true;
  if (expect(value) !== undefined) return false;
  const fields = (inner as any).fields as Spec | undefined;
  if (fields !== undefined) {
    for (const field in fields) if (!fits((value as Record<string, unknown>)[field], fields[field])) return false;
    return true;
  }
  const item = (inner as any).item as Expect | undefined;
  if (item === undefined) return true;
  // every() visits what forEach() visits (holes of a sparse list are skipped by both)
  if (Array.isArray(value)) return value.every((v) => fits(v, item));
  return Object.values(value as object).every((v) => fits(v, item));
}

/** True when every argument has its expected shape (what `guard` checks), building nothing. */
function argumentsFit(args: Record<string, [unknown, Expect | Spec]>): boolean {
  for (const name in args) {
    const [value, shape] = args[name];
    if (typeof shape === 'function') {
      if (!fits(value, shape)) return false;
      continue;
    }
    if (value === undefined) {
      for (const field in shape) if ((shape[field] as any).inner === undefined) return false;
      continue;
    }
    if (OBJECT(value) !== undefined) return false;
    for (const field in shape) if (!fits((value as Record<string, unknown>)[field], shape[field])) return false;
  }
  return true;
}

/**
 * Throws the library's usual error when an argument does not have the shape its type
 * promises. `args` maps each argument's name to its value and expected shape; a props
 * struct is checked field by field with `spec`.
 *
 * @internal
 */
export function guard(subject: string | (() => string), args: Record<string, [unknown, Expect | Spec]>): void {
  if (argumentsFit(args)) return;
  const problems: string[] = [];
  for (const [name, [value, shape]] of Object.entries(args)) {
    if (typeof shape === 'function') {
      problems.push(...inputProblems(name, value, shape));
      continue;
    }
    // A props struct: undefined means "all defaults" when every field is optional.
    if (value === undefined && Object.values(shape).every((e) => (e as any).inner !== undefined)) continue;
    const wrong = OBJECT(value);
    if (wrong !== undefined) {
      problems.push(`${name} is ${describeValue(value)}: expected ${wrong}`);
      continue;
    }
    for (const [field, expect] of Object.entries(shape)) {
      problems.push(...inputProblems(`${name}.${field}`, (value as Record<string, unknown>)[field], expect));
    }
  }
  if (problems.length > 0) throw new ProblemsError(typeof subject === 'function' ? subject() : subject, problems);
}

/**
 * `guard` for a construct's constructor: the scope, the id and the props struct.
 *
 * @internal
 */
export function guardConstruct(kind: string, scope: unknown, id: unknown, props: unknown, spec: Spec): void {
  // The path is read only for an error: a fleet creates thousands of constructs.
  guard(() => {
    const parent = (scope as { node?: { path?: unknown } } | undefined)?.node?.path;
    const path = typeof parent === 'string' && parent ? `${parent}/${String(id)}` : String(id);
    return `${kind} '${path}'`;
  }, { scope: [scope, OBJECT], id: [id, STRING], props: [props, spec] });
}
