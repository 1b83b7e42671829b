import { Annotations, Aspects, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct, IConstruct } from 'constructs';
import { RegistryScanningModel, repositoryScanning, scanningConfigurationProblems, scanningFilterMatches, scanningFilterProblems, ScanningRuleModel } from './checks';
import { ScanFrequency, ScanType } from './enums';
import { mergeFilters } from '../internal/filters';
import { guard, listOf, oneOf, STRING, struct } from '../internal/input';
import { isConcrete, Problems } from '../internal/problems';
import { checkAtSynth } from '../internal/resolve';
import { Registry, registryRepositoryNames } from '../registry/registry';
import { RegistrySettingKind } from '../registry/settings';

/** The construct ID of the scanning configuration, under the stack's Registry. */
const SCANNING_ID = 'Scanning';

/**
 * Options of a scanning rule.
 */
export interface ScanningRuleOptions {
  /** When matching repositories are scanned. */
  readonly frequency: ScanFrequency;
  /**
   * WILDCARD filters naming the repositories. A filter with `*` is anchored,
   * `*` matching any run of characters (`platform/*`); a filter without `*`
   * covers every repository name that contains it (`api` covers
   * `team/api-gateway`); `['*']` covers every repository. Filters of the same
   * frequency are merged into one rule.
   */
  readonly repositoryFilters: string[];
}

/**
 * The registry scanning configuration (`AWS::ECR::RegistryScanningConfiguration`)
 * of a stack's registry: one per account and region.
 *
 * Repositories (`PrivateRepository.addToRegistryScanning()`) and
 * explicit rules contribute WILDCARD filters; they are merged into at most
 * one rule per frequency and rendered once, lazily. The scan type is
 * ENHANCED as soon as anything asks for continuous scanning, BASIC
 * otherwise, unless set with `useScanType`.
 *
 * Filters match the way ECR matches them: a filter without `*` covers every
 * repository name that contains it (`api` covers `api`, `team/api-gateway`
 * and `rapid`), a filter with `*` is anchored (`team/*`). Once a registry
 * scanning configuration exists, a repository's own scan-on-push setting no
 * longer applies: with BASIC, repositories that match no filter are scanned
 * only when asked (MANUAL); with ENHANCED, they are not scanned at all. A
 * repository of the stack in that state gets a warning.
 *
 * ENHANCED with no rule at all would scan nothing, so it renders one
 * SCAN_ON_PUSH rule for `*` (every repository is scanned when an image is
 * pushed) until a rule is added.
 *
 * @example
 * const scanning = RegistryScanning.of(this);
 * scanning.useScanType(ScanType.ENHANCED);
 * scanning.addRule({ frequency: ScanFrequency.SCAN_ON_PUSH, repositoryFilters: ['*'] });
 */
export class RegistryScanning extends Construct {
  /**
   * The scanning configuration of the scope's stack's registry, created on
   * first use.
   */
  public static of(scope: IConstruct): RegistryScanning {
    const registry = Registry.of(scope);
    const existing = registry.node.tryFindChild(SCANNING_ID);
    if (existing) return existing as RegistryScanning;
    return new RegistryScanning(registry, SCANNING_ID);
  }

  private readonly registry: Registry;
  private resource?: ecr.CfnRegistryScanningConfiguration;
  private explicitType?: ScanType;
  private readonly filters = new Map<ScanFrequency, Set<string>>();
  /** Filters added for one repository by `addToRegistryScanning()`, to warn about what else they cover. */
  private readonly repositoryFilters: { filter: string; frequency: ScanFrequency; node: IConstruct }[] = [];

  private constructor(scope: Registry, id: string) {
    super(scope, id);
    this.registry = scope;
  }

  /** The scanning configuration resource, once something was configured. */
  public get cfnScanningConfiguration(): ecr.CfnRegistryScanningConfiguration | undefined {
    return this.resource;
  }

  /** The scan type the configuration renders. */
  public get scanType(): ScanType {
    if (this.explicitType) return this.explicitType;
    return this.filters.has(ScanFrequency.CONTINUOUS_SCAN) ? ScanType.ENHANCED : ScanType.BASIC;
  }

  /**
   * Sets the scan type. ENHANCED turns on Amazon Inspector scanning of the
   * registry (`InspectorScanning` configures Inspector itself). Setting it
   * twice to different values, or BASIC when something asked for continuous
   * scanning, fails.
   */
  public useScanType(scanType: ScanType): void {
    const problems = new Problems(`RegistryScanning '${this.node.path}'`);
    guard(`RegistryScanning.useScanType '${this.node.path}'`, { scanType: [scanType, oneOf(ScanType)] });
    if (this.explicitType !== undefined && this.explicitType !== scanType) {
      problems.add(`the scan type is already ${this.explicitType}: ECR keeps one scanning configuration per registry, so set it once`);
    }
    problems.addAll(scanningConfigurationProblems(scanType, this.rules()));
    problems.throwIfAny();
    this.explicitType = scanType;
    this.ensureResource();
  }

  /**
   * Adds WILDCARD repository filters to the rule of a frequency.
   */
  public addRule(options: ScanningRuleOptions): void {
    const problems = new Problems(`RegistryScanning '${this.node.path}'`);
    guard(`RegistryScanning.addRule '${this.node.path}'`, { options: [options, struct({ frequency: oneOf(ScanFrequency), repositoryFilters: listOf(STRING) })] });
    checkAtSynth(this, problems, options.repositoryFilters, (p, filters) => filters.forEach((f) => p.addAll(scanningFilterProblems(f))));
    if (options.repositoryFilters.length === 0) problems.add('repositoryFilters is empty: name at least one filter, such as \'*\' for every repository');
    this.add(problems, options.frequency, options.repositoryFilters);
  }

  /**
   * Adds one repository by name to the rule of a frequency.
   *
   * @internal
   */
  public _addRepository(subject: string, repositoryName: string | undefined, frequency: ScanFrequency, node?: IConstruct): void {
    const problems = new Problems(subject);
    if (!isConcrete(repositoryName)) {
      problems.add('scanning needs a concrete repositoryName: scanning filters match repository names, so set repositoryName (a generated or token name cannot be matched)');
      problems.throwIfAny();
    }
    this.add(problems, frequency, [repositoryName!]);
    this.repositoryFilters.push({ filter: repositoryName!, frequency, node: node ?? this });
  }

  /** The rules as ECR will see them, one per frequency (with the ENHANCED default rule). @internal */
  public _rules(): ScanningRuleModel[] {
    return this.rules();
  }

  /** The configuration as ECR will see it. @internal */
  public _model(): RegistryScanningModel {
    return { scanType: this.scanType, rules: this.rules() };
  }

  private add(problems: Problems, frequency: ScanFrequency, filters: string[]): void {
    const merged = new Map<ScanFrequency, Set<string>>(this.filters);
    const before = this.filters.get(frequency);
    merged.set(frequency, new Set(mergeFilters(before && { filters: [...before] }, filters)));
    const rules = rulesOf(merged);
    const scanType = this.explicitType ?? (merged.has(ScanFrequency.CONTINUOUS_SCAN) ? ScanType.ENHANCED : ScanType.BASIC);
    problems.addAll(scanningConfigurationProblems(scanType, rules));
    problems.throwIfAny();
    this.filters.set(frequency, merged.get(frequency)!);
    this.ensureResource();
  }

  private rules(): ScanningRuleModel[] {
    const rules = rulesOf(this.filters);
    if (rules.length === 0 && this.scanType === ScanType.ENHANCED) return [{ frequency: ScanFrequency.SCAN_ON_PUSH, filters: ['*'] }];
    return rules;
  }

  private ensureResource(): void {
    if (this.resource) return;
    const problems = new Problems(`RegistryScanning '${this.node.path}'`);
    const claimed = this.registry._claim({ kind: RegistrySettingKind.SCANNING, owner: this, subject: problems.subject });
    if (claimed !== undefined) problems.add(claimed);
    problems.throwIfAny();
    this.resource = new ecr.CfnRegistryScanningConfiguration(this, 'Resource', {
      scanType: Lazy.string({ produce: () => this.scanType }),
      rules: Lazy.any({ produce: () => this.renderRules() }, { omitEmptyArray: false }),
    });
    this.registry._renderAs(this.resource, () => ({
      Rules: this.rules().map((r) => ({
        RepositoryFilters: r.filters.map((f) => ({ Filter: f, FilterType: 'WILDCARD' })),
        ScanFrequency: r.frequency,
      })),
      ScanType: this.scanType,
    }));
    Aspects.of(Stack.of(this)).add(new UncoveredRepositories(this));
  }

  private renderRules(): ecr.CfnRegistryScanningConfiguration.ScanningRuleProperty[] {
    return this.rules().map((r) => ({
      scanFrequency: r.frequency,
      repositoryFilters: r.filters.map((f) => ({ filter: f, filterType: 'WILDCARD' })),
    }));
  }

  /**
   * Warns about the stack's repositories that ECR will not scan on its own,
   * and about repository filters that cover other repositories of the app.
   *
   * @internal
   */
  public _warnUncovered(): void {
    const model = this._model();
    for (const node of Stack.of(this).node.findAll()) {
      if (!(node instanceof ecr.CfnRepository)) continue;
      const name = node.repositoryName;
      if (!isConcrete(name)) continue;
      const answer = repositoryScanning(name, undefined, model);
      if (answer.scanned !== false) continue;
      const what = answer.mode === 'DISABLED'
        ? 'with ENHANCED scanning, ECR does not scan its images at all'
        : 'ECR scans its images only when asked (MANUAL), whatever the repository\'s own scan-on-push setting';
      Annotations.of(node.node.scope ?? node).addWarningV2('cdk-ecr-platform:repositoryNotScanned',
        `Repository '${name}' matches no registry scanning filter: ${what} (add it with addToRegistryScanning(), or a filter such as '*').`);
    }
    const names = registryRepositoryNames(Stack.of(this));
    for (const { filter, frequency, node } of this.repositoryFilters) {
      const others = names.filter((n) => n !== filter && scanningFilterMatches(filter, n));
      if (others.length === 0) continue;
      Annotations.of(node).addWarningV2('cdk-ecr-platform:scanningFilterCoversOthers',
        `The ${frequency} filter '${filter}' also covers ${others.map((n) => `'${n}'`).join(', ')}: ECR matches a filter without '*' against every repository name that contains it, and has no exact-match form. Rename the repositories apart, or accept that they are scanned at this frequency too.`);
    }
  }
}

function rulesOf(filters: Map<ScanFrequency, Set<string>>): ScanningRuleModel[] {
  const order = [ScanFrequency.SCAN_ON_PUSH, ScanFrequency.CONTINUOUS_SCAN];
  return order.filter((f) => filters.has(f)).map((f) => ({ frequency: f, filters: [...filters.get(f)!] }));
}

/** Warns once, when the whole stack is known. */
class UncoveredRepositories implements IAspect {
  private done = false;
  constructor(private readonly scanning: RegistryScanning) {}
  public visit(node: IConstruct): void {
    if (node !== this.scanning || this.done) return;
    this.done = true;
    this.scanning._warnUncovered();
  }
}
