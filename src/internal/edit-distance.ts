/** Levenshtein distance between two strings: the fewest single-character edits from one to the other. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The closest of the candidates within a small edit distance (case-insensitive; a
 * prefix of three letters or more counts as one edit), or undefined when none is
 * close: the "did you mean" of catalog keys, repository names and the command line.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const l = c.toLowerCase();
    const d = w.length >= 3 && (l.startsWith(w) || w.startsWith(l)) ? 1 : editDistance(w, l);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}
