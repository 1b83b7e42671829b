/**
 * The adoption plan as text: the summary first, then what the first deploy
 * changes, resource by resource and property by property; what it creates or
 * leaves alone is listed by name, shortened past a screenful (the JSON lists
 * every one). Readable for ten thousand repositories.
 *
 * @module
 */
import { AdoptionPlanResult, PropertyPlan, ResourcePlan } from './plan';

/** Names listed per group (created, not managed) before the rest is counted. */
const LISTED = 20;
/** Characters of a value shown before it is cut. */
const VALUE_WIDTH = 160;

export function renderPlanText(plan: AdoptionPlanResult, title: string): string {
  const all = [...plan.repositories, ...plan.registry];
  const count = (list: ResourcePlan[], verdict: string) => list.filter((p) => p.verdict === verdict).length;
  const line = (list: ResourcePlan[]) => ['no change', 'in-place update', 'replacement', 'undecided', 'created', 'not managed']
    .map((v) => `${count(list, v)} ${v === 'replacement' ? 'replacement (refused)' : v}`).join(', ');
  const out: string[] = [];
  out.push(`Adoption plan for ${title} against account ${plan.account}, ${plan.region}:`);
  out.push(`  repositories (${plan.repositories.length}): ${line(plan.repositories)}`);
  out.push(`  registry settings (${plan.registry.length}): ${line(plan.registry)}`);
  out.push(plan.problems.length === 0
    ? '  nothing to fix: the first deploy replaces nothing, and every value is known'
    : `  ${plan.problems.length} problem${plan.problems.length === 1 ? '' : 's'} to fix before the first deploy (refused replacements, undecided values)`);
  const changing = all.filter((p) => p.verdict === 'in-place update' || p.verdict === 'replacement' || p.verdict === 'undecided');
  if (changing.length > 0) {
    out.push('', 'Changes:');
    for (const p of changing) {
      out.push(`  ${mark(p.verdict)} ${label(p)}: ${p.verdict === 'replacement' ? 'replacement, REFUSED' : p.verdict}${p.stack ? ` (${p.stack}/${p.logicalId})` : ''}`);
      if (p.reason !== undefined) out.push(`      ${p.reason}`);
      for (const c of p.changes) out.push(...propertyLines(c));
    }
  }
  out.push(...controlTowerLines(plan.repositories));
  for (const [verdict, heading] of [['created', 'Created (in the app, not live)'], ['not managed', 'Not managed (live, in no template: left alone)']] as const) {
    const list = all.filter((p) => p.verdict === verdict);
    if (list.length === 0) continue;
    out.push('', `${heading}: ${list.length}`);
    for (const p of list.slice(0, LISTED)) out.push(`  ${mark(verdict)} ${label(p)}${p.stack ? ` (${p.stack})` : ''}${p.reason ? `: ${p.reason}` : ''}`);
    if (list.length > LISTED) out.push(`  ... and ${list.length - LISTED} more (--format json lists every one)`);
  }
  return `${out.join('\n')}\n`;
}

function label(p: ResourcePlan): string {
  return p.type === 'AWS::ECR::Repository' ? `repository ${p.id}` : `${p.type} ${p.id}`;
}

function mark(verdict: string): string {
  switch (verdict) {
    case 'in-place update': return '~';
    case 'replacement': return '!';
    case 'undecided': return '?';
    case 'created': return '+';
    default: return '=';
  }
}

function propertyLines(c: PropertyPlan): string[] {
  const lines = [`      ${c.property}: ${c.verdict === 'replacement' ? 'replacement, REFUSED' : c.verdict}`];
  lines.push(`        live:    ${show(c.live)}`, `        planned: ${show(c.planned)}`);
  if (c.reason !== undefined) lines.push(`        why:     ${c.reason}`);
  return lines;
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH)}... (${text.length} characters)` : text;
}

/** The AWS Control Tower controls the planned repositories fail, per control, with the repositories by name. */
function controlTowerLines(repositories: ResourcePlan[]): string[] {
  const failing = repositories.filter((p) => (p.controlTower ?? []).length > 0);
  if (failing.length === 0) return [];
  const out = ['', `AWS Control Tower: ${failing.length} of ${repositories.length} repositories fail controls on repositories in the templates `
    + '(an account that enforces a control refuses the deploy that creates or updates the repository, acknowledged in the app or not; --format json lists them per repository):'];
  const controls = [...new Set(failing.flatMap((p) => p.controlTower!))].sort();
  for (const control of controls) {
    const names = failing.filter((p) => p.controlTower!.includes(control)).map((p) => p.id);
    out.push(`  ${control}: ${names.length} repositories: ${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? `, ... and ${names.length - LISTED} more` : ''}`);
  }
  return out;
}
