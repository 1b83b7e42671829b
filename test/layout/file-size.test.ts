import * as fs from 'fs';
import * as path from 'path';

/** What one can hold in one's head: a file past this is split by what it does. */
const MAX_LINES = 800;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

describe('source file size', () => {
  const root = path.join(__dirname, '..', '..', 'src');

  test(`given every file of src/, then none is over ${MAX_LINES} lines`, () => {
    const tooLong = sources(root)
      .map((file) => ({ file: path.relative(root, file), lines: fs.readFileSync(file, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);

    expect(tooLong).toEqual([]);
  });
});
