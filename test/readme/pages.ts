import * as fs from 'fs';
import * as path from 'path';

/** The repository's root folder. */
export const ROOT = path.join(__dirname, '..', '..');

/** A page of the documentation: its path from the root, and its text. */
export interface Page {
  readonly file: string;
  readonly text: string;
}

/**
 * The documentation users read, where examples live: README.md, then every
 * page of docs/ in name order (a page added to docs/ is picked up by itself).
 */
export function pages(): Page[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', ...docs].map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));
}

/** The text of the first page (in the order of `pages()`) that matches, with the page. */
export function findInPages(re: RegExp): { page: Page; match: RegExpExecArray } | undefined {
  for (const page of pages()) {
    const match = re.exec(page.text);
    if (match) return { page, match };
  }
  return undefined;
}
