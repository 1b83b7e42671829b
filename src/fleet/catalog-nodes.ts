import { CatalogNode, Position } from './text';
import { closest } from '../internal/edit-distance';

/*
 * Reading the nodes of a catalog's text: the typed readers and checks every
 * key of the catalog uses, each reporting at the node's file position.
 */

/** A mapping node. @internal */
export type Obj = Extract<CatalogNode, { kind: 'object' }>;
/** Reports a problem at a position. @internal */
export type Report = (pos: Position, message: string) => void;

/** Reports a problem at a position, with the entry it is about. @internal */
export type At = (pos: Position, where: string, message: string) => void;

/** The value of a key of a mapping. @internal */
export function field(node: Obj, key: string): CatalogNode | undefined {
  for (const e of node.entries) if (e.key === key) return e.value;
  return undefined;
}

/** Reports keys given twice and unknown keys (with the closest known one). @internal */
export function checkKeys(node: Obj, allowed: string[], where: string, at: At): void {
  const seen = new Set<string>();
  for (const e of node.entries) {
    if (seen.has(e.key)) at(e.keyPos, where, `key '${e.key}' appears twice`);
    seen.add(e.key);
    if (!allowed.includes(e.key)) {
      const hint = closest(e.key, allowed);
      at(e.keyPos, where, `unknown key '${e.key}'${hint ? `: did you mean '${hint}'?` : `: expected one of ${allowed.join(', ')}`}`);
    }
  }
}

/** Runs a model factory; its error (the model's own rule) is reported at the node. */
export function model<T>(node: CatalogNode, report: Report, what: string, make: () => T): T | undefined {
  try {
    return make();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lines = message.split('\n');
    const bullets = lines.filter((l) => l.startsWith('  - ')).map((l) => l.slice(4));
    for (const m of bullets.length > 0 ? bullets : [message]) report(node.pos, `${what}: ${m}`);
    return undefined;
  }
}

/** A string; YAML reads 2048, true or null without quotes as other types, which the problem says. */
export function readString(node: CatalogNode, report: Report, what: string): string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
  // YAML reads 2048, true or null without quotes as a number, boolean or null.
  const unquoted = node.kind === 'scalar' && node.value !== null ? `, not the ${typeof node.value} ${node.raw ?? node.value}: put it in quotes` : '';
  report(node.pos, `${what} must be a string${unquoted}`);
  return undefined;
}

/** An account ID: a string, or (YAML without quotes) a number written as digits only. */
export function readAccount(node: CatalogNode, report: Report, what: string): string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number') {
    if (node.raw === undefined || /^\d+$/.test(node.raw)) return String(node.value);
    report(node.pos, `${what} ${node.raw} is not an account ID: write its 12 digits, in quotes`);
    return undefined;
  }
  return readString(node, report, what);
}

/** A number. */
export function readNumber(node: CatalogNode, report: Report, what: string): number | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'number') return node.value;
  report(node.pos, `${what} must be a number`);
  return undefined;
}

/** A list whose items `item` reads; undefined when any item does not read. */
export function readList<T>(node: CatalogNode, report: Report, what: string, item: (n: CatalogNode, what: string) => T | undefined): T[] | undefined {
  if (node.kind !== 'array') {
    report(node.pos, `${what} must be a list`);
    return undefined;
  }
  const out: T[] = [];
  let ok = true;
  node.items.forEach((n, i) => {
    const v = item(n, `${what}[${i}]`);
    if (v === undefined) ok = false; else out.push(v);
  });
  return ok ? out : undefined;
}

/** A list of strings. */
export function readStrings(node: CatalogNode, report: Report, what: string): string[] | undefined {
  return readList(node, report, what, (n, w) => readString(n, report, w));
}

/** One of some values, with the closest as a hint otherwise. */
export function readEnum(node: CatalogNode, report: Report, what: string, values: string[]): string | undefined {
  const v = readString(node, report, what);
  if (v === undefined) return undefined;
  if (values.includes(v)) return v;
  const hint = closest(v, values);
  report(node.pos, `${what} '${v}' is not one of ${values.join(', ')}${hint ? `: did you mean '${hint}'?` : ''}`);
  return undefined;
}

/** Whether no mapping in the node's tree has a key twice; reports each key that does. */
export function noDuplicateKeys(node: CatalogNode, report: Report): boolean {
  if (node.kind === 'scalar') return true;
  let ok = true;
  if (node.kind === 'array') {
    for (const item of node.items) ok = noDuplicateKeys(item, report) && ok;
    return ok;
  }
  const seen = new Set<string>();
  for (const e of node.entries) {
    if (seen.has(e.key)) {
      report(e.keyPos, `key '${e.key}' appears twice`);
      ok = false;
    }
    seen.add(e.key);
    ok = noDuplicateKeys(e.value, report) && ok;
  }
  return ok;
}

/** The node as plain JSON. @internal */
export function toPlain(node: CatalogNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = toPlain(e.value);
  return out;
}
