import * as fs from 'fs';
import * as path from 'path';
import { pages, ROOT } from './pages';

/**
 * Every relative link of the README, of the pages of docs/ and of
 * CONTRIBUTING.md points to a file that exists and, when it names an anchor,
 * to a heading of that file (as GitHub names headings). Links to web pages
 * are not followed.
 */

/** The text outside fenced code blocks, with inline code spans left out. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives the headings of a Markdown text. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  const headings = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm);
  for (const [, heading] of headings) {
    const rendered = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = rendered.toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** The targets of the inline links of a Markdown text. */
function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** Every relative link that points nowhere, as `FILE: TARGET (why)`. */
function broken(files: Array<{ file: string; text: string }>): string[] {
  const out: string[] = [];
  for (const { file, text } of files) {
    for (const target of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [ref, anchor] = target.split('#', 2) as [string, string | undefined];
      const shown = `${file}: ${target}`;
      if (ref === '') {
        if (!anchors(text).has(anchor!)) out.push(`${shown} (no heading #${anchor} in ${file})`);
        continue;
      }
      const resolved = path.join(ROOT, path.dirname(file), decodeURIComponent(ref));
      if (!path.relative(ROOT, resolved) || path.relative(ROOT, resolved).startsWith('..')) {
        out.push(`${shown} (outside the repository)`);
      } else if (!fs.existsSync(resolved)) {
        out.push(`${shown} (no file ${path.relative(ROOT, resolved)})`);
      } else if (anchor !== undefined) {
        if (!resolved.endsWith('.md')) out.push(`${shown} (an anchor in a file that is not Markdown)`);
        else if (!anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) out.push(`${shown} (no heading #${anchor} in ${path.relative(ROOT, resolved)})`);
      }
    }
  }
  return out;
}

describe('links of the documentation', () => {
  const files = [...pages(), { file: 'CONTRIBUTING.md', text: fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8') }];

  test('given the README, the pages of docs/ and CONTRIBUTING.md, then every relative link points to an existing file and heading', () => {
    expect(broken(files)).toEqual([]);
  });

  test('given the README, then it links every page of docs/, and docs/index.md links them too', () => {
    const docs = pages().map((p) => p.file).filter((f) => f.startsWith('docs/') && f !== 'docs/index.md');
    const readme = new Set(links(pages()[0].text).map((t) => t.split('#')[0]));
    const index = new Set(links(pages().find((p) => p.file === 'docs/index.md')!.text).map((t) => `docs/${t.split('#')[0]}`));
    expect(docs.filter((f) => !readme.has(f))).toEqual([]);
    expect(docs.filter((f) => !index.has(f))).toEqual([]);
  });

  test('given links that point nowhere, then the check reports each of them', () => {
    const text = [
      '# A title', '## A `code` heading', '## A title', '',
      '[ok](#a-title) [ok](#a-title-1) [ok](#a-code-heading) [ok](lifecycle.md#the-model) [ok](../README.md) [web](https://example.com/#x)',
      '[bad](#nothing) [bad](missing.md) [bad](lifecycle.md#nothing) [bad](../../outside.md)',
      '`[not a link](nowhere.md)`', '```', '[not a link](nowhere.md)', '```',
    ].join('\n');
    const page = { file: 'docs/x.md', text };
    expect(broken([page])).toEqual([
      'docs/x.md: #nothing (no heading #nothing in docs/x.md)',
      'docs/x.md: missing.md (no file docs/missing.md)',
      'docs/x.md: lifecycle.md#nothing (no heading #nothing in docs/lifecycle.md)',
      'docs/x.md: ../../outside.md (outside the repository)',
    ]);
  });
});
