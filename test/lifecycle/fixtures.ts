import { DescribedImage } from '../../src/lifecycle/preview';

export const DAY = 86_400_000;
/** Fixed evaluation time of the preview tests. */
export const NOW = Date.UTC(2025, 0, 31, 12, 0, 0);

export function daysAgo(days: number): string {
  return new Date(NOW - days * DAY).toISOString();
}

/** An image named `name` (digest sha256:name) pushed `pushedDaysAgo` days before NOW. */
export function image(name: string, tags: string[], pushedDaysAgo: number, extra: Record<string, unknown> = {}): DescribedImage {
  const detail: Record<string, unknown> = { imageDigest: `sha256:${name}`, imagePushedAt: daysAgo(pushedDaysAgo), ...extra };
  if (tags.length > 0) detail.imageTags = tags;
  return detail as unknown as DescribedImage;
}

/** `sha256:name` → `name`. */
export function nameOf(digest: string): string {
  return digest.replace(/^sha256:/, '');
}
