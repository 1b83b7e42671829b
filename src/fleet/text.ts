/**
 * Catalog text (JSON or a block subset of YAML) read into a tree of nodes
 * that remember where each value starts, so that every problem of a catalog
 * can name its file, line and column. No ECR rule lives here.
 */

/** Where a value starts (1-based line and column). @internal */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One value of a catalog file with its position. @internal */
export type CatalogNode =
  | { readonly kind: 'object'; readonly pos: Position; readonly entries: { key: string; keyPos: Position; value: CatalogNode }[] }
  | { readonly kind: 'array'; readonly pos: Position; readonly items: CatalogNode[] }
  | { readonly kind: 'scalar'; readonly pos: Position; readonly value: string | number | boolean | null; readonly raw?: string };

/** A syntax error at a position. @internal */
export class CatalogSyntaxError extends Error {
  constructor(message: string, public readonly pos: Position) {
    super(message);
  }
}

/** Parses JSON text, keeping positions. Throws CatalogSyntaxError. @internal */
export function parseJsonWithPositions(text: string): CatalogNode {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): Position => ({ line, column: i - lineStart + 1 });
  const fail = (message: string): never => { throw new CatalogSyntaxError(message, pos()); };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) { line++; i++; lineStart = i; } else if (c === 32 || c === 9 || c === 13) { i++; } else {break;}
    }
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) { i = start; fail('unterminated string'); }
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c === '\n') fail('line break inside a string');
      if (c === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t' };
        if (e in map) { out += map[e]; i += 2; } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6;
        } else {fail(`invalid escape \\${e ?? ''}`);}
      } else { out += c; i++; }
    }
  };
  const value = (): CatalogNode => {
    ws();
    const p = pos();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; keyPos: Position; value: CatalogNode }[] = [];
      ws();
      if (text[i] === '}') { i++; return { kind: 'object', pos: p, entries }; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key in double quotes');
        const keyPos = pos();
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after key "${key}"`);
        i++;
        entries.push({ key, keyPos, value: value() });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return { kind: 'object', pos: p, entries }; }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items: CatalogNode[] = [];
      ws();
      if (text[i] === ']') { i++; return { kind: 'array', pos: p, items }; }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return { kind: 'array', pos: p, items }; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { kind: 'scalar', pos: p, value: str() };
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail(i >= text.length ? 'unexpected end of text' : `unexpected character '${c}'`);
    i += m![0].length;
    const t = m![0];
    return { kind: 'scalar', pos: p, value: t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : Number(t), raw: t };
  };
  const root = value();
  ws();
  if (i < text.length) fail('unexpected text after the end of the document');
  return root;
}

interface YamlLine { readonly indent: number; readonly text: string; readonly line: number }

/**
 * Parses the block subset of YAML a catalog needs: mappings, sequences (`- `),
 * plain, single- and double-quoted scalars, flow collections on one line
 * (`[a, b]`, `{ a: 1 }`) and comments; a `---` before the first value and a
 * `...` after the last. Anchors, aliases, tags, directives, multi-document
 * streams, block scalars (`|`, `>`) and an unquoted `: ` inside a plain value
 * are refused with their position. Throws CatalogSyntaxError. @internal
 */
export function parseYamlWithPositions(text: string): CatalogNode {
  const lines: YamlLine[] = [];
  // Document markers: one '---' before any content, one '...' after all of it.
  let started = false;
  let ended: Position | undefined;
  text.split(/\r?\n/).forEach((raw, n) => {
    const lineNo = n + 1;
    const tab = /^ *\t/.exec(raw);
    if (tab) throw new CatalogSyntaxError('tabs cannot indent YAML: use spaces', { line: lineNo, column: tab[0].length });
    const content = stripComment(raw);
    if (content.trim() === '') return;
    const at = { line: lineNo, column: 1 };
    if (content.startsWith('%')) {
      throw new CatalogSyntaxError(`YAML directives ('${content.trim().split(/\s/)[0]}') are not supported in catalog YAML: remove the line`, at);
    }
    if (/^---(?:\s|$)/.test(content)) {
      if (started || lines.length > 0 || ended) {
        throw new CatalogSyntaxError("this '---' starts a second YAML document: a catalog is one document (multi-document streams are not supported)", at);
      }
      if (content.trim() !== '---') throw new CatalogSyntaxError("content after '---' on the same line is not supported in catalog YAML: start it on the next line", { line: lineNo, column: 5 });
      started = true;
      return;
    }
    if (/^\.\.\.(?:\s|$)/.test(content) && content.trim() === '...') {
      ended ??= at;
      return;
    }
    if (ended) throw new CatalogSyntaxError(`text after the end of the document ('...' at line ${ended.line}): a catalog is one document`, { line: lineNo, column: 1 });
    const indent = content.length - content.trimStart().length;
    lines.push({ indent, text: content.trimEnd().slice(indent), line: lineNo });
  });
  let k = 0;
  if (lines.length === 0) return { kind: 'object', pos: { line: 1, column: 1 }, entries: [] };

  const block = (indent: number): CatalogNode => {
    const first = lines[k];
    if (first.text === '-' || first.text.startsWith('- ')) return sequence(first.indent);
    if (first.text.startsWith('{') || first.text.startsWith('[')) {
      // A flow collection on a line of its own (the whole document on one line).
      k++;
      return scalar(first.text, { line: first.line, column: first.indent + 1 });
    }
    return mapping(first.indent, indent);
  };
  const sequence = (indent: number): CatalogNode => {
    const p = { line: lines[k].line, column: indent + 1 };
    const items: CatalogNode[] = [];
    while (k < lines.length && lines[k].indent === indent && (lines[k].text === '-' || lines[k].text.startsWith('- '))) {
      const l = lines[k];
      const rest = l.text.slice(1).trimStart();
      const restIndent = indent + (l.text.length - rest.length);
      if (rest === '') {
        k++;
        items.push(k < lines.length && lines[k].indent > indent ? block(indent + 1) : { kind: 'scalar', pos: { line: l.line, column: indent + 1 }, value: null });
      } else if (splitKey(rest) !== undefined || rest.startsWith('- ')) {
        lines[k] = { indent: restIndent, text: rest, line: l.line };
        items.push(block(restIndent));
      } else {
        k++;
        items.push(scalar(rest, { line: l.line, column: restIndent + 1 }));
      }
    }
    if (k < lines.length && lines[k].indent > indent) throw new CatalogSyntaxError('unexpected indentation', { line: lines[k].line, column: lines[k].indent + 1 });
    return { kind: 'array', pos: p, items };
  };
  const mapping = (indent: number, _min: number): CatalogNode => {
    const p = { line: lines[k].line, column: indent + 1 };
    const entries: { key: string; keyPos: Position; value: CatalogNode }[] = [];
    while (k < lines.length && lines[k].indent === indent) {
      const l = lines[k];
      const kv = splitKey(l.text);
      if (kv === undefined) throw new CatalogSyntaxError(`expected 'key: value', found '${l.text}'`, { line: l.line, column: indent + 1 });
      const keyPos = { line: l.line, column: indent + 1 };
      k++;
      if (kv.value === '') {
        if (k < lines.length && (lines[k].indent > indent || (lines[k].indent === indent && (lines[k].text === '-' || lines[k].text.startsWith('- '))))) {
          entries.push({ key: kv.key, keyPos, value: block(indent + 1) });
        } else {
          entries.push({ key: kv.key, keyPos, value: { kind: 'scalar', pos: keyPos, value: null } });
        }
      } else {
        entries.push({ key: kv.key, keyPos, value: scalar(kv.value, { line: l.line, column: indent + kv.valueColumn + 1 }) });
      }
    }
    if (k < lines.length && lines[k].indent > indent) throw new CatalogSyntaxError('unexpected indentation', { line: lines[k].line, column: lines[k].indent + 1 });
    return { kind: 'object', pos: p, entries };
  };
  const root = block(0);
  if (k < lines.length) throw new CatalogSyntaxError('unexpected indentation', { line: lines[k].line, column: lines[k].indent + 1 });
  return root;
}

function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || raw[i - 1] === ' ')) {
      return raw.slice(0, i);
    }
  }
  return raw;
}

/** `key: value` (key plain or quoted), or undefined when the text is no mapping entry. */
function splitKey(text: string): { key: string; value: string; valueColumn: number } | undefined {
  let key: string;
  let end: number;
  if (text[0] === '"' || text[0] === "'") {
    const close = findClose(text, 0);
    if (close < 0 || text[close + 1] !== ':') return undefined;
    key = unquote(text.slice(0, close + 1), { line: 0, column: 0 });
    end = close + 1;
  } else {
    const m = /^([^\s:#[\]{},][^:#]*?)\s*:(?:\s|$)/.exec(text);
    if (!m) return undefined;
    key = m[1];
    end = m[0].trimEnd().length - 1;
  }
  const after = text.slice(end + 1);
  const value = after.trim();
  return { key, value, valueColumn: end + 1 + (after.length - after.trimStart().length) };
}

function findClose(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') { i++; continue; }
    if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") { i++; continue; }
      return i;
    }
  }
  return -1;
}

function unquote(text: string, pos: Position): string {
  if (text[0] === '"') {
    try {
      return JSON.parse(text);
    } catch {
      throw new CatalogSyntaxError(`invalid double-quoted string ${text}`, pos);
    }
  }
  return text.slice(1, -1).replace(/''/g, "'");
}

function scalar(text: string, pos: Position): CatalogNode {
  const c = text[0];
  if (c === '&' || c === '*' || c === '!' || c === '|' || c === '>' || c === '%' || c === '@' || c === '`') {
    throw new CatalogSyntaxError(`'${c}' (anchors, aliases, tags, block scalars) is not supported in catalog YAML`, pos);
  }
  if (c === '"' || c === "'") {
    const close = findClose(text, 0);
    if (close !== text.length - 1) throw new CatalogSyntaxError(`unterminated or trailing text after quoted string ${text}`, pos);
    return { kind: 'scalar', pos, value: unquote(text, pos) };
  }
  if (c === '{' || c === '[') {
    const flow = parseFlow(text, 0, pos);
    if (flow.end !== text.length) throw new CatalogSyntaxError('unexpected text after a flow collection', { line: pos.line, column: pos.column + flow.end });
    return flow.node;
  }
  const colon = /:(?:\s|$)/.exec(text);
  if (colon) {
    throw new CatalogSyntaxError(`': ' inside a plain value ('${text}') starts a mapping in YAML: put the value in quotes`, { line: pos.line, column: pos.column + colon.index });
  }
  if (/^(?:true|True|TRUE)$/.test(text)) return { kind: 'scalar', pos, value: true, raw: text };
  if (/^(?:false|False|FALSE)$/.test(text)) return { kind: 'scalar', pos, value: false, raw: text };
  if (/^(?:null|Null|NULL|~)$/.test(text)) return { kind: 'scalar', pos, value: null };
  if (/^[-+]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(text)) return { kind: 'scalar', pos, value: Number(text), raw: text };
  return { kind: 'scalar', pos, value: text };
}

/** A plain key of a flow mapping, matched where the parser stands (sticky: the rest of the line is not copied for each key). */
const FLOW_KEY = /[^\s:,{}[\]#][^:,{}[\]]*/y;

/** A flow collection (`{a: 1, b: [x, y]}` or `[a, b]`) starting at `start`, on one line. */
function parseFlow(text: string, start: number, base: Position): { node: CatalogNode; end: number } {
  let i = start;
  const at = (): Position => ({ line: base.line, column: base.column + i });
  const fail = (message: string): never => { throw new CatalogSyntaxError(message, at()); };
  const ws = () => { while (text[i] === ' ') i++; };
  const item = (stops: string): CatalogNode => {
    ws();
    if (text[i] === '{' || text[i] === '[') {
      const inner = parseFlow(text, i, base);
      i = inner.end;
      return inner.node;
    }
    const p = at();
    let j = i;
    if (text[i] === '"' || text[i] === "'") {
      j = findClose(text, i);
      if (j < 0) fail('unterminated string');
      j++;
    } else {
      while (j < text.length && !stops.includes(text[j])) j++;
    }
    const raw = text.slice(i, j).trim();
    if (raw === '') fail('empty value in a flow collection');
    i = j;
    return scalar(raw, p);
  };
  const p = at();
  if (text[i] === '[') {
    i++;
    const items: CatalogNode[] = [];
    ws();
    if (text[i] === ']') return { node: { kind: 'array', pos: p, items }, end: i + 1 };
    for (;;) {
      items.push(item(',]'));
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') return { node: { kind: 'array', pos: p, items }, end: i + 1 };
      fail("expected ',' or ']'");
    }
  }
  i++;
  const entries: { key: string; keyPos: Position; value: CatalogNode }[] = [];
  ws();
  if (text[i] === '}') return { node: { kind: 'object', pos: p, entries }, end: i + 1 };
  for (;;) {
    ws();
    const keyPos = at();
    let key: string;
    if (text[i] === '"' || text[i] === "'") {
      const close = findClose(text, i);
      if (close < 0) fail('unterminated string');
      key = unquote(text.slice(i, close + 1), keyPos);
      i = close + 1;
    } else {
      FLOW_KEY.lastIndex = i;
      const m = FLOW_KEY.exec(text);
      if (!m) fail('expected a key');
      key = m![0].trim();
      i += m![0].length;
    }
    ws();
    if (text[i] !== ':') fail(`expected ':' after key '${key}'`);
    i++;
    entries.push({ key, keyPos, value: item(',}') });
    ws();
    if (text[i] === ',') { i++; continue; }
    if (text[i] === '}') return { node: { kind: 'object', pos: p, entries }, end: i + 1 };
    fail("expected ',' or '}'");
  }
}
