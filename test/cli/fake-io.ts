import { CliIo } from '../../src/cli/main';

/** What a command did through a fake io: its output, and the files it wrote. */
export interface FakeIo extends CliIo {
  out: string;
  err: string;
  /** The files it reads, and the ones it writes, by name. */
  readonly files: Record<string, string>;
  /** Only the files it wrote, by name. */
  readonly written: Record<string, string>;
}

/**
 * The command line's io over files held in memory: `files` are read (a missing
 * one fails as the file system does), `stdin` is standard input, and writes go
 * to both `files` and `written`.
 */
export function fakeIo(files: Record<string, string> = {}, stdin = ''): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    files,
    written: {},
    stdout(text: string) { io.out += text; },
    stderr(text: string) { io.err += text; },
    readFile(file: string) {
      if (!(file in files)) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
      return files[file];
    },
    readStdin: () => stdin,
    writeFile(file: string, text: string) {
      files[file] = text;
      io.written[file] = text;
    },
    exists: (file: string) => file in files,
    removeFile(file: string) {
      delete files[file];
      delete io.written[file];
    },
  };
  return io;
}
