import { CfnOutput, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { LifecycleAction } from './enums';
import { readLifecyclePolicyJson } from './parse';
import { policyStatements } from '../internal/policy';
import { partitionOf } from '../internal/regions';
import { AppWarning, ownerOf, registerAppCheck, tryResolve } from '../registry/app-checks';
import { AppRegistries, registryKeyOf } from '../registry/app-registries';

/*
 * Archive and the workloads that pull (ECR User Guide, "Archiving images"):
 * an archived image cannot be pulled (ECR answers 404) until it is restored
 * to the standard storage class (UpdateImageStorageClass) or pushed again,
 * and it is billed for at least 90 days. A repository with a lifecycle rule
 * that archives images, and a workload of the app that pulls from it, get a
 * warning: one per repository and workload.
 */

/** The warning's ID. @internal */
export const ARCHIVED_IMAGE_CONSUMER_WARNING = 'cdk-ecr-platform:archiveRuleOnPulledRepository';

const LAMBDA_SERVICE = 'lambda.amazonaws.com';

/**
 * Registers the check of the app's repositories with a lifecycle rule that
 * archives images (`"action": {"type": "transition"}`): called by every
 * construct that attaches such a policy. Reads the synthesized L1s of the
 * whole app, so repositories of aws-cdk-lib's L2 and raw L1s are covered too:
 * `AWS::ECR::Repository` (its lifecycle policy text and repository policy),
 * `AWS::Lambda::Function` (`Code.ImageUri`) and `AWS::ECS::TaskDefinition`
 * (each container's `Image`).
 *
 * @internal
 */
export function checkArchiveConsumers(scope: IConstruct): void {
  registerAppCheck(scope, 'archiveConsumers', archiveConsumerWarnings);
}

/** A repository of the app with archive rules. */
interface ArchivingRepository {
  readonly node: ecr.CfnRepository;
  /** The archive rules, described for messages. */
  readonly rules: string[];
}

/** Every warning of the app, in a stable order (by repository path, then consumer). @internal */
export function archiveConsumerWarnings(root: IConstruct): AppWarning[] {
  const index = new RepositoryIndex(root);
  if (index.archiving.size === 0) return [];
  const consumers = new Map<ArchivingRepository, Set<string>>();
  const add = (repo: ArchivingRepository | undefined, consumer: string) => {
    if (!repo) return;
    const set = consumers.get(repo) ?? new Set<string>();
    set.add(consumer);
    consumers.set(repo, set);
  };
  const withFunctions = new Set<ArchivingRepository>();
  for (const stack of AppRegistries.of(root).stacks) {
    for (const node of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(node) || Stack.of(node) !== stack) continue;
      if (node.cfnResourceType === 'AWS::Lambda::Function') {
        const code = tryResolve(stack, (node as unknown as { code?: unknown }).code) as any;
        const image = code?.imageUri ?? code?.ImageUri;
        if (image === undefined) continue;
        for (const repo of index.repositoriesOf(stack, image)) {
          add(repo, `Lambda function '${ownerOf(node).node.path}'`);
          withFunctions.add(repo);
        }
      } else if (node.cfnResourceType === 'AWS::ECS::TaskDefinition') {
        const containers = tryResolve(stack, (node as unknown as { containerDefinitions?: unknown }).containerDefinitions);
        if (!Array.isArray(containers)) continue;
        const byRepo = new Map<ArchivingRepository, string[]>();
        for (const c of containers) {
          if (!c || typeof c !== 'object') continue;
          const name = c.name ?? c.Name;
          for (const repo of index.repositoriesOf(stack, c.image ?? c.Image)) {
            byRepo.set(repo, [...(byRepo.get(repo) ?? []), typeof name === 'string' ? `'${name}'` : '(unnamed)']);
          }
        }
        for (const [repo, names] of byRepo) {
          add(repo, `ECS task definition '${ownerOf(node).node.path}' (container${names.length > 1 ? 's' : ''} ${[...new Set(names)].sort().join(', ')})`);
        }
      }
    }
  }
  // A grant to the Lambda service is named only when no function of the app is known to pull (the function's own grant is one).
  for (const repo of index.archiving.values()) {
    if (!withFunctions.has(repo) && grantsLambda(repo.node)) {
      add(repo, `AWS Lambda (its repository policy lets ${LAMBDA_SERVICE} pull, as RepositoryAccess.pullFromLambda does)`);
    }
  }
  const warnings: AppWarning[] = [];
  const repos = [...consumers.keys()].sort((a, b) => compare(a.node.node.path, b.node.node.path));
  for (const repo of repos) {
    for (const consumer of [...consumers.get(repo)!].sort()) {
      warnings.push({ scope: ownerOf(repo.node), id: ARCHIVED_IMAGE_CONSUMER_WARNING, message: message(repo, consumer) });
    }
  }
  return warnings;
}

function message(repo: ArchivingRepository, consumer: string): string {
  const rules = repo.rules.join(', ');
  return `${consumer} pulls images from this repository, and its lifecycle ${repo.rules.length > 1 ? 'rules' : 'rule'} ${rules} `
    + `${repo.rules.length > 1 ? 'move' : 'moves'} images to the archive storage class. An archived image cannot be pulled (ECR answers 404): `
    + 'deploying or starting the workload with one fails until it is restored (ecr:UpdateImageStorageClass to STANDARD, see grantRestoreArchivedImages) or pushed again, '
    + 'and an archived image is billed for at least 90 days. Keep the images the workload runs out of the archive rule (a tag pattern the rule does not select, '
    + 'or a sinceImagePulled count longer than the longest time between pulls), or acknowledge this warning.';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The app's repositories, by logical ID per stack and by literal name per registry, and those with archive rules. */
class RepositoryIndex {
  public readonly archiving = new Map<ecr.CfnRepository, ArchivingRepository>();
  private readonly byLogicalId = new Map<Stack, Map<string, ecr.CfnRepository>>();
  private readonly byName = new Map<string, ecr.CfnRepository>();
  /** Export name -> the resource its value references. */
  private exports?: Map<string, { stack: Stack; logicalIds: string[] }>;
  private readonly rulesByText = new Map<string, string[]>();

  constructor(private readonly root: IConstruct) {
    for (const stack of AppRegistries.of(root).stacks) {
      for (const node of stack.node.findAll()) {
        if (!(node instanceof ecr.CfnRepository) || Stack.of(node) !== stack) continue;
        const logicalId = tryResolve(stack, node.logicalId);
        if (typeof logicalId === 'string') {
          let ids = this.byLogicalId.get(stack);
          if (!ids) this.byLogicalId.set(stack, ids = new Map());
          ids.set(logicalId, node);
        }
        const name = tryResolve(stack, node.repositoryName);
        const registry = registryKeyOf(stack);
        if (typeof name === 'string' && registry !== undefined) this.byName.set(`${registry}/${name}`, node);
        const rules = this.archiveRules(stack, node);
        if (rules.length > 0) this.archiving.set(node, { node, rules });
      }
    }
  }

  /** The repositories with archive rules an image reference names: by reference, by export, or by its literal URI. */
  public repositoriesOf(stack: Stack, image: unknown): ArchivingRepository[] {
    if (image === undefined || image === null) return [];
    const found = new Set<ecr.CfnRepository>();
    for (const id of intrinsicTargets(image, 'Ref').concat(intrinsicTargets(image, 'Fn::GetAtt'))) {
      const repo = this.byLogicalId.get(stack)?.get(id);
      if (repo) found.add(repo);
    }
    for (const name of intrinsicTargets(image, 'Fn::ImportValue')) {
      const exported = this.exportsByName().get(name);
      for (const id of exported?.logicalIds ?? []) {
        const repo = this.byLogicalId.get(exported!.stack)?.get(id);
        if (repo) found.add(repo);
      }
    }
    const uri = evaluate(image, stack);
    const parsed = typeof uri === 'string' ? parseImageUri(uri) : undefined;
    if (parsed) {
      const repo = this.byName.get(`${parsed.account}/${parsed.region}/${parsed.name}`);
      if (repo) found.add(repo);
    }
    return [...found].map((r) => this.archiving.get(r)).filter((r): r is ArchivingRepository => r !== undefined);
  }

  private exportsByName(): Map<string, { stack: Stack; logicalIds: string[] }> {
    if (this.exports) return this.exports;
    this.exports = new Map();
    for (const stack of AppRegistries.of(this.root).stacks) {
      for (const node of stack.node.findAll()) {
        if (!(node instanceof CfnOutput) || Stack.of(node) !== stack) continue;
        const name = tryResolve(stack, node.exportName);
        if (typeof name !== 'string') continue;
        const value = tryResolve(stack, node.value);
        this.exports.set(name, { stack, logicalIds: [...intrinsicTargets(value, 'Ref'), ...intrinsicTargets(value, 'Fn::GetAtt')] });
      }
    }
    return this.exports;
  }

  /** The archive (transition) rules of a repository's lifecycle policy, described; none when the text is not known at synth. */
  private archiveRules(stack: Stack, node: ecr.CfnRepository): string[] {
    const policy = tryResolve(stack, node.lifecyclePolicy) as any;
    const text = policy?.lifecyclePolicyText ?? policy?.LifecyclePolicyText;
    if (typeof text !== 'string') return [];
    let rules = this.rulesByText.get(text);
    if (rules === undefined) {
      rules = readLifecyclePolicyJson(text).entries
        .map((e) => e.rule)
        .filter((r) => r !== undefined && r.action === LifecycleAction.TRANSITION)
        .map((r) => `${r!.rulePriority}${r!.description ? ` ('${r!.description}')` : ''}`);
      this.rulesByText.set(text, rules);
    }
    return rules;
  }
}

/** Whether a repository policy allows the Lambda service to pull (ecr:BatchGetImage). */
function grantsLambda(node: ecr.CfnRepository): boolean {
  const statements = policyStatements(tryResolve(Stack.of(node), node.repositoryPolicyText)) ?? [];
  return statements.some((st: any) => st?.Effect === 'Allow'
    && listOf(st.Principal?.Service).includes(LAMBDA_SERVICE)
    && listOf(st.Action).some((a) => typeof a === 'string' && ['ecr:batchgetimage', 'ecr:*', '*'].includes(a.toLowerCase())));
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first arguments (logical IDs, export names) of every use of an intrinsic in a resolved value. */
function intrinsicTargets(value: unknown, fn: 'Ref' | 'Fn::GetAtt' | 'Fn::ImportValue'): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      for (const [k, arg] of Object.entries(v)) {
        if (k === fn) {
          const target = Array.isArray(arg) ? arg[0] : arg;
          if (typeof target === 'string' && !target.startsWith('AWS::')) out.push(target);
        }
        walk(arg);
      }
    }
  };
  walk(value);
  return out;
}

/**
 * A resolved value as the string CloudFormation would make of it, when it
 * is made only of literals, `Fn::Join`, `Fn::Select`, `Fn::Split` and the
 * stack's pseudo parameters with a literal value; undefined otherwise.
 */
function evaluate(value: unknown, stack: Stack): unknown {
  if (typeof value === 'string') return Token.isUnresolved(value) ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map((v) => evaluate(v, stack));
    return items.every((i) => typeof i === 'string') ? items : undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [fn, arg] = entries[0] as [string, any];
  if (fn === 'Ref') return pseudo(arg, stack);
  if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string') {
    const parts = evaluate(arg[1], stack);
    return Array.isArray(parts) ? parts.join(arg[0]) : undefined;
  }
  if (fn === 'Fn::Split' && Array.isArray(arg) && typeof arg[0] === 'string') {
    const source = evaluate(arg[1], stack);
    return typeof source === 'string' ? source.split(arg[0]) : undefined;
  }
  if (fn === 'Fn::Select' && Array.isArray(arg)) {
    const list = evaluate(arg[1], stack);
    const i = Number(arg[0]);
    return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? list[i] : undefined;
  }
  return undefined;
}

function pseudo(name: unknown, stack: Stack): string | undefined {
  const literal = (v: string) => (Token.isUnresolved(v) ? undefined : v);
  const region = literal(stack.region);
  const partition = region === undefined ? undefined : partitionOf(region);
  switch (name) {
    case 'AWS::AccountId': return literal(stack.account);
    case 'AWS::Region': return region;
    case 'AWS::Partition': return partition;
    case 'AWS::URLSuffix': return partition === undefined ? undefined : partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    default: return undefined;
  }
}

/** Account, region and repository of a private ECR image URI (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME[:TAG|@DIGEST]`). */
function parseImageUri(uri: string): { account: string; region: string; name: string } | undefined {
  const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::[^@]*)?(?:@.+)?$/.exec(uri);
  return m ? { account: m[1], region: m[2], name: m[3] } : undefined;
}
