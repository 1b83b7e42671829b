import { Annotations, Aspects, IAspect, Lazy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct, IConstruct } from 'constructs';
import { scanningConfigurationProblems, scanningFilterProblems, ScanningRuleModel, wildcardMatcher } from './checks';
import { ScanFrequency, ScanType } from './enums';
import { guard, listOf, oneOf, STRING, struct } from '../internal/input';
import { isConcrete, Problems } from '../internal/problems';
import { checkAtSynth } from '../internal/resolve';
import { Registry } from '../registry/registry';

/** The resource type ECR keeps once per account and region. */
const SCANNING_CONFIGURATION = 'AWS::ECR::RegistryScanningConfiguration';
/** The construct ID of the scanning configuration, under the stack's Registry. */
const SCANNING_ID = 'Scanning';

/**
 * Options of a scanning rule.
 */
export interface ScanningRuleOptions {
  /** When matching repositories are scanned. */
  readonly frequency: ScanFrequency;
  /**
   * WILDCARD filters naming the repositories (`*` matches any run of
   * characters, for example `platform/*`); `['*']` covers every repository.
   * Filters of the same frequency are merged into one rule.
   */
  readonly repositoryFilters: string[];
}

/**
 * The registry scanning configuration (`AWS::ECR::RegistryScanningConfiguration`)
 * of a stack's registry: one per account and region.
 *
 * Repositories (`PrivateRepository.scanOnPush()` / `scanContinuously()`) and
 * explicit rules contribute WILDCARD filters; they are merged into at most
 * one rule per frequency and rendered once, lazily. The scan type is
 * ENHANCED as soon as anything asks for continuous scanning, BASIC
 * otherwise, unless set with `useScanType`. A private repository of the
 * stack that no filter covers gets a warning: ECR scans it only manually.
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

  /** The scanning configuration resource, once something was configured. */
  public cfnScanningConfiguration?: ecr.CfnRegistryScanningConfiguration;

  private readonly registry: Registry;
  private explicitType?: ScanType;
  private readonly filters = new Map<ScanFrequency, Set<string>>();

  private constructor(scope: Registry, id: string) {
    super(scope, id);
    this.registry = scope;
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
  public _addRepository(subject: string, repositoryName: string | undefined, frequency: ScanFrequency): void {
    const problems = new Problems(subject);
    if (!isConcrete(repositoryName)) {
      problems.add('scanning needs a concrete repositoryName: scanning filters match repository names, so set repositoryName (a generated or token name cannot be matched)');
      problems.throwIfAny();
    }
    this.add(problems, frequency, [repositoryName!]);
  }

  /** The rules as ECR will see them, one per frequency. @internal */
  public _rules(): ScanningRuleModel[] {
    return this.rules();
  }

  private add(problems: Problems, frequency: ScanFrequency, filters: string[]): void {
    const merged = new Map<ScanFrequency, Set<string>>(this.filters);
    merged.set(frequency, new Set([...(this.filters.get(frequency) ?? []), ...filters]));
    const rules = rulesOf(merged);
    const scanType = this.explicitType ?? (merged.has(ScanFrequency.CONTINUOUS_SCAN) ? ScanType.ENHANCED : ScanType.BASIC);
    problems.addAll(scanningConfigurationProblems(scanType, rules));
    problems.throwIfAny();
    this.filters.set(frequency, merged.get(frequency)!);
    this.ensureResource();
  }

  private rules(): ScanningRuleModel[] {
    return rulesOf(this.filters);
  }

  private ensureResource(): void {
    if (this.cfnScanningConfiguration) return;
    this.registry._claim(SCANNING_CONFIGURATION, this.node.path, `RegistryScanning '${this.node.path}'`);
    this.cfnScanningConfiguration = new ecr.CfnRegistryScanningConfiguration(this, 'Resource', {
      scanType: Lazy.string({ produce: () => this.scanType }),
      rules: Lazy.any({ produce: () => this.renderRules() }, { omitEmptyArray: false }),
    });
    Aspects.of(Stack.of(this)).add(new UncoveredRepositories(this));
  }

  private renderRules(): ecr.CfnRegistryScanningConfiguration.ScanningRuleProperty[] {
    return this.rules().map((r) => ({
      scanFrequency: r.frequency,
      repositoryFilters: r.filters.map((f) => ({ filter: f, filterType: 'WILDCARD' })),
    }));
  }

  /** Warns about the stack's repositories that no filter covers. @internal */
  public _warnUncovered(): void {
    const filters = this.rules().flatMap((r) => r.filters);
    const matchers = filters.map((f) => wildcardMatcher(f));
    for (const node of Stack.of(this).node.findAll()) {
      if (!(node instanceof ecr.CfnRepository)) continue;
      const name = node.repositoryName;
      if (!isConcrete(name)) continue;
      if (matchers.some((m) => m.test(name))) continue;
      Annotations.of(node.node.scope ?? node).addWarningV2('cdk-ecr-platform:repositoryNotScanned',
        `Repository '${name}' matches no registry scanning filter: ECR scans its images only when asked (add it with scanOnPush() or scanContinuously(), or a filter such as '*').`);
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
