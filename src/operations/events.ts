import { IResolvable, IResolveContext, Token, Tokenization } from 'aws-cdk-lib';
import {
  CLICK_OPS_API_ACTIONS, CLOUDFORMATION_SOURCE, CLOUDTRAIL_DETAIL_TYPE, ECR_EVENT_SOURCE, ECR_EVENT_SOURCE_NAME,
  ECR_MUTATING_API_ACTIONS, ECR_READ_ONLY_API_ACTIONS, EcrDetailType, MAX_EVENT_PATTERN_LENGTH, SCAN_COMPLETE, SUCCESS_RESULT,
} from './facts';
import { RenderedEvent } from './model';
import { compressFilters, FilterSemantics } from '../fleet/filters';
import { ACCOUNT_ID_PATTERN, REPOSITORY_NAME_PATTERN } from '../internal/ecr-facts';
import { BOOLEAN, guard, listOf, oneOf, optional, Spec, STRING } from '../internal/input';
import { isConcrete } from '../internal/problems';
import { holdsToken } from '../internal/resolve';

/** Which outcomes of an action a route matches. */
export enum EventOutcome {
  /** Successful actions only (`SUCCESS`). */
  SUCCESS = 'SUCCESS',
  /**
   * Failed actions only: anything but `SUCCESS`. ECR's sample events show
   * successes only, so the value of a failure is not documented; matching
   * "anything but SUCCESS" catches it whatever it is.
   */
  FAILURE = 'FAILURE',
  /** Every outcome. */
  ANY = 'ANY',
}
Object.freeze(EventOutcome);

/** The kinds of `ECR Image Action` events: the `action-type` values the ECR User Guide's sample events document. */
export enum ImageActionType {
  /** A completed image push. */
  PUSH = 'PUSH',
  /** An image deletion. */
  DELETE = 'DELETE',
}
Object.freeze(ImageActionType);

/**
 * The scan frequency of a repository, as an `ECR Scan Resource Change` event
 * reports it (`scan-frequency`, `previous-scan-frequency`): the registry
 * scanning rules' frequencies plus MANUAL, which `ScanFrequency` (the rules a
 * registry takes) does not have.
 */
export enum RepositoryScanFrequency {
  /** Scanned only when asked: no scanning rule covers the repository any more. */
  MANUAL = 'MANUAL',
  /** Scanned on push. */
  SCAN_ON_PUSH = 'SCAN_ON_PUSH',
  /** Scanned continuously (enhanced scanning). */
  CONTINUOUS_SCAN = 'CONTINUOUS_SCAN',
}
Object.freeze(RepositoryScanFrequency);

/** Which repositories a route covers. Exact names and prefixes together match either. */
export interface RepositoryEventFilterOptions {
  /**
   * Only repositories whose name starts with one of these prefixes
   * (EventBridge `prefix` matching), for example `team-a/`.
   *
   * @default - every repository, unless `repositoryNames` is given
   */
  readonly repositoryPrefixes?: string[];

  /**
   * Only these repositories (exact names). A fleet's thousands of names are
   * rendered as name prefixes when they do not fit one event pattern (2,048
   * characters), with the fleet's prefix compression: a prefix is used only
   * when it covers none of `otherRepositoryNames`.
   *
   * @default - every repository, unless `repositoryPrefixes` is given
   */
  readonly repositoryNames?: string[];

  /**
   * The registry's other repositories, which the route must not cover: the
   * names that let `repositoryNames` be compressed into prefixes. Without
   * them, names are never compressed, and names that do not fit one event
   * pattern are refused.
   *
   * @default - no compression
   */
  readonly otherRepositoryNames?: string[];
}

/** Options of a route for image pushes and deletions. */
export interface ImageActionEventOptions extends RepositoryEventFilterOptions {
  /**
   * The actions routed.
   *
   * @default - pushes and deletions
   */
  readonly actionTypes?: ImageActionType[];

  /**
   * The outcomes routed.
   *
   * @default EventOutcome.ANY
   */
  readonly outcome?: EventOutcome;
}

/** Options of a route for basic scan results. */
export interface ImageScanEventOptions extends RepositoryEventFilterOptions {
  /**
   * SUCCESS routes completed scans (`scan-status` COMPLETE), FAILURE every
   * other status.
   *
   * @default EventOutcome.ANY
   */
  readonly outcome?: EventOutcome;
}

/** Options of a route for replication actions. */
export interface ReplicationEventOptions extends RepositoryEventFilterOptions {
  /**
   * The outcomes routed.
   *
   * @default EventOutcome.FAILURE
   */
  readonly outcome?: EventOutcome;

  /**
   * Only images replicated from these accounts (`source-account`).
   *
   * @default - from any account
   */
  readonly sourceAccounts?: string[];
}

/** Options of a route for pull-through cache actions. */
export interface PullThroughCacheEventOptions extends RepositoryEventFilterOptions {
  /**
   * The outcomes routed (`sync-status`): FAILURE routes a cache that could
   * not reach or read its upstream.
   *
   * @default EventOutcome.FAILURE
   */
  readonly outcome?: EventOutcome;

  /**
   * Only these pull-through cache rules, by their repository prefix
   * (`ecr-repository-prefix`, exact).
   *
   * @default - every rule
   */
  readonly cachePrefixes?: string[];

  /**
   * Only these upstream registries (`upstream-registry-url`, exact, such as `public.ecr.aws`).
   *
   * @default - every upstream
   */
  readonly upstreamRegistryUrls?: string[];
}

/** Options of a route for changes of the scanning of repositories (enhanced scanning). */
export interface ScanResourceChangeEventOptions extends RepositoryEventFilterOptions {
  /**
   * Only changes that leave a repository with one of these scan
   * frequencies. `[RepositoryScanFrequency.MANUAL]` routes repositories
   * whose scanning silently fell back to manual.
   *
   * @default - every change
   */
  readonly scanFrequencies?: RepositoryScanFrequency[];
}

/** Options of a route for referrer (signature, SBOM, attestation) actions. */
export interface ReferrerEventOptions extends RepositoryEventFilterOptions {
  /**
   * The outcomes routed.
   *
   * @default EventOutcome.ANY
   */
  readonly outcome?: EventOutcome;

  /**
   * Only referrers of these artifact media types (`artifact-media-type`,
   * exact), such as `application/vnd.cncf.notary.signature` for Notation
   * signatures.
   *
   * @default - every artifact type
   */
  readonly artifactMediaTypes?: string[];
}

/**
 * Options of a route for ECR API calls recorded by AWS CloudTrail. Repository
 * filters match the call's `requestParameters.repositoryName`: calls on the
 * registry (PutRegistryPolicy, PutReplicationConfiguration, ...) name no
 * repository, so a route with repository filters never routes them.
 */
export interface ApiCallEventOptions extends RepositoryEventFilterOptions {
  /**
   * The API actions routed, as CloudTrail names them (`CreateRepository`).
   * Read-only calls (access level Read or List in IAM's data: Get, List,
   * Describe, BatchGetImage, ...) never reach the routes' rules and are
   * refused.
   */
  readonly eventNames: string[];

  /**
   * Only calls made by someone other than AWS CloudFormation: changes made
   * by hand or by another tool, outside the stacks. Told by the call's
   * `sourceIPAddress`, which AWS records as `cloudformation.amazonaws.com`
   * for CloudFormation's calls (not by `userAgent`, which a caller sets).
   *
   * @default false
   */
  readonly outsideCloudFormation?: boolean;

  /**
   * Only calls that failed (CloudTrail recorded an `errorCode`).
   *
   * @default false
   */
  readonly failedOnly?: boolean;
}

/** Options of the click-ops route. */
export interface ClickOpsEventOptions extends RepositoryEventFilterOptions {
  /**
   * The API actions routed.
   *
   * @default - repository creation and deletion, and every change of a policy or setting the library renders
   */
  readonly eventNames?: string[];
}


/** Where the repository name is in an event's detail. */
type NamePath = readonly string[];

const REPOSITORY_NAME: NamePath = ['repository-name'];
const SCAN_CHANGE_NAME: NamePath = ['repositories', 'repository-name'];
const API_CALL_NAME: NamePath = ['requestParameters', 'repositoryName'];

/** A repository name prefix EventBridge can match: the start of a valid repository name. */
const NAME_PREFIX = /^[a-z0-9][a-z0-9._/-]*$/;

/** Event names of EventBridge patterns are matched exactly: a name's own filter covers only itself. */
const EXACT_NAMES: FilterSemantics = {
  what: 'repository name filters of an event pattern',
  prefixFilter: (prefix) => (NAME_PREFIX.test(prefix) ? prefix : undefined),
  ownFilterCovers: (member, name) => member === name,
};

const REPOSITORY_FILTER_SPEC: Spec = {
  repositoryPrefixes: optional(listOf(STRING)),
  repositoryNames: optional(listOf(STRING)),
  otherRepositoryNames: optional(listOf(STRING)),
};

const OUTCOME = optional(oneOf(EventOutcome));

/**
 * An event of Amazon ECR that a route sends on: one of the seven events ECR
 * sends to EventBridge, or ECR API calls recorded by AWS CloudTrail, each
 * with the filters that matter for it. The patterns follow the events as
 * the ECR User Guide documents them; values ECR does not send are refused
 * where the route is added.
 *
 * @example
 * EcrEvent.imageAction({ actionTypes: [ImageActionType.DELETE], repositoryPrefixes: ['prod/'] });
 * EcrEvent.replicationAction({ outcome: EventOutcome.FAILURE });
 * EcrEvent.clickOps();
 */
export class EcrEvent {
  /**
   * Image pushes and deletions (`ECR Image Action`).
   */
  public static imageAction(options: ImageActionEventOptions = {}): EcrEvent {
    guard('EcrEvent.imageAction', { options: [options, { ...REPOSITORY_FILTER_SPEC, actionTypes: optional(listOf(oneOf(ImageActionType))), outcome: OUTCOME }] });
    return new EcrEvent(EcrDetailType.IMAGE_ACTION, options, REPOSITORY_NAME, (detail, problems) => {
      if (options.actionTypes !== undefined) {
        if (options.actionTypes.length === 0) problems.push('actionTypes is empty: no event would match; leave it out to route pushes and deletions');
        else detail['action-type'] = sortedUnique(options.actionTypes);
      }
      outcomeFilter(detail, 'result', options.outcome ?? EventOutcome.ANY, SUCCESS_RESULT);
    }).withRebuild((o) => EcrEvent.imageAction(o));
  }

  /**
   * Basic scan results (`ECR Image Scan`). For findings at or above a
   * severity, `FindingsRouting` routes both scanners.
   */
  public static imageScan(options: ImageScanEventOptions = {}): EcrEvent {
    guard('EcrEvent.imageScan', { options: [options, { ...REPOSITORY_FILTER_SPEC, outcome: OUTCOME }] });
    return new EcrEvent(EcrDetailType.IMAGE_SCAN, options, REPOSITORY_NAME, (detail) => {
      outcomeFilter(detail, 'scan-status', options.outcome ?? EventOutcome.ANY, SCAN_COMPLETE);
    }).withRebuild((o) => EcrEvent.imageScan(o));
  }

  /**
   * Replication actions (`ECR Replication Action`), failures by default.
   */
  public static replicationAction(options: ReplicationEventOptions = {}): EcrEvent {
    guard('EcrEvent.replicationAction', { options: [options, { ...REPOSITORY_FILTER_SPEC, outcome: OUTCOME, sourceAccounts: optional(listOf(STRING)) }] });
    return new EcrEvent(EcrDetailType.REPLICATION_ACTION, options, REPOSITORY_NAME, (detail, problems) => {
      outcomeFilter(detail, 'result', options.outcome ?? EventOutcome.FAILURE, SUCCESS_RESULT);
      if (options.sourceAccounts !== undefined) {
        if (options.sourceAccounts.length === 0) problems.push('sourceAccounts is empty: no event would match; leave it out to route replications from any account');
        for (const a of known(options.sourceAccounts)) {
          if (isConcrete(a) && !ACCOUNT_ID_PATTERN.test(a)) problems.push(`sourceAccounts holds '${a}', which is not an AWS account ID: exactly 12 digits`);
        }
        if (options.sourceAccounts.length > 0) detail['source-account'] = sortedUnique(options.sourceAccounts);
      }
    }).withRebuild((o) => EcrEvent.replicationAction(o));
  }

  /**
   * Pull-through cache actions (`ECR Pull Through Cache Action`), failures
   * by default: a cache that can no longer reach its upstream.
   */
  public static pullThroughCacheAction(options: PullThroughCacheEventOptions = {}): EcrEvent {
    guard('EcrEvent.pullThroughCacheAction', {
      options: [options, {
        ...REPOSITORY_FILTER_SPEC, outcome: OUTCOME, cachePrefixes: optional(listOf(STRING)), upstreamRegistryUrls: optional(listOf(STRING)),
      }],
    });
    return new EcrEvent(EcrDetailType.PULL_THROUGH_CACHE_ACTION, options, REPOSITORY_NAME, (detail, problems) => {
      outcomeFilter(detail, 'sync-status', options.outcome ?? EventOutcome.FAILURE, SUCCESS_RESULT);
      exactFilter(detail, 'ecr-repository-prefix', 'cachePrefixes', options.cachePrefixes, problems);
      exactFilter(detail, 'upstream-registry-url', 'upstreamRegistryUrls', options.upstreamRegistryUrls, problems);
    }).withRebuild((o) => EcrEvent.pullThroughCacheAction(o));
  }

  /**
   * Changes of the scanning of repositories with enhanced scanning
   * (`ECR Scan Resource Change`): repositories created, scan frequencies
   * changed, images created or deleted.
   */
  public static scanResourceChange(options: ScanResourceChangeEventOptions = {}): EcrEvent {
    guard('EcrEvent.scanResourceChange', { options: [options, { ...REPOSITORY_FILTER_SPEC, scanFrequencies: optional(listOf(oneOf(RepositoryScanFrequency))) }] });
    return new EcrEvent(EcrDetailType.SCAN_RESOURCE_CHANGE, options, SCAN_CHANGE_NAME, (detail, problems) => {
      if (options.scanFrequencies === undefined) return;
      if (options.scanFrequencies.length === 0) {
        problems.push('scanFrequencies is empty: no event would match; leave it out to route every change');
        return;
      }
      detail.repositories = { ...(detail.repositories ?? {}), 'scan-frequency': sortedUnique(options.scanFrequencies) };
    }).withRebuild((o) => EcrEvent.scanResourceChange(o)).withWarning(
      options.scanFrequencies !== undefined && (options.repositoryPrefixes !== undefined || options.repositoryNames !== undefined)
        ? 'the event lists several repositories, and EventBridge matches each field of a list of objects across all of them: a change that leaves one repository with the scan frequency and changes another that the name filters cover matches too; check the repository of the frequency in the target'
        : undefined);
  }

  /**
   * Referrer actions (`ECR Referrer Action`): artifacts such as signatures,
   * SBOMs and attestations that refer to an image.
   */
  public static referrerAction(options: ReferrerEventOptions = {}): EcrEvent {
    guard('EcrEvent.referrerAction', { options: [options, { ...REPOSITORY_FILTER_SPEC, outcome: OUTCOME, artifactMediaTypes: optional(listOf(STRING)) }] });
    return new EcrEvent(EcrDetailType.REFERRER_ACTION, options, REPOSITORY_NAME, (detail, problems) => {
      outcomeFilter(detail, 'result', options.outcome ?? EventOutcome.ANY, SUCCESS_RESULT);
      exactFilter(detail, 'artifact-media-type', 'artifactMediaTypes', options.artifactMediaTypes, problems);
    }).withRebuild((o) => EcrEvent.referrerAction(o));
  }

  /**
   * Artifact actions (`ECR Artifact Action`). The EventBridge events
   * reference lists this event, but neither the ECR User Guide nor the
   * EventBridge schema registry (`aws.ecr` schemas, as aws-cdk's generated
   * event classes list them) documents its fields, so it is routed whole,
   * without filters: a filter on a guessed field would never match.
   */
  public static artifactAction(): EcrEvent {
    return new EcrEvent(EcrDetailType.ARTIFACT_ACTION, {}, undefined, () => undefined);
  }

  /**
   * ECR API calls recorded by AWS CloudTrail (`AWS API Call via
   * CloudTrail`). CloudTrail must record management events in the account
   * and region (every account has event history; EventBridge receives
   * management events without a trail).
   */
  public static apiCall(options: ApiCallEventOptions): EcrEvent {
    guard('EcrEvent.apiCall', {
      options: [options, {
        ...REPOSITORY_FILTER_SPEC, eventNames: listOf(STRING), outsideCloudFormation: optional(BOOLEAN), failedOnly: optional(BOOLEAN),
      }],
    });
    return new EcrEvent(CLOUDTRAIL_DETAIL_TYPE, options, API_CALL_NAME, (detail, problems) => {
      detail.eventSource = [ECR_EVENT_SOURCE_NAME];
      if (options.eventNames.length === 0) problems.push('eventNames is empty: no call would match; name at least one ECR API action');
      for (const name of known(options.eventNames)) {
        if (!isConcrete(name) || ECR_MUTATING_API_ACTIONS.includes(name)) continue;
        if (ECR_READ_ONLY_API_ACTIONS.includes(name)) {
          problems.push(`eventNames holds '${name}', a read-only call: EventBridge does not deliver CloudTrail events of read-only calls to rules, so the route could never match`);
        } else {
          problems.push(`eventNames holds '${name}', which is not an ECR API action that changes something (one of ${ECR_MUTATING_API_ACTIONS.join(', ')})`);
        }
      }
      detail.eventName = sortedUnique(options.eventNames);
      if (options.outsideCloudFormation) detail.sourceIPAddress = [{ 'anything-but': [CLOUDFORMATION_SOURCE] }];
      if (options.failedOnly) detail.errorCode = [{ exists: true }];
    }).withRebuild((o) => EcrEvent.apiCall(o));
  }

  /**
   * Click-ops: changes of repositories and registry settings made outside
   * AWS CloudFormation (repositories created or deleted by hand, policies
   * and settings changed in the console or the CLI).
   */
  public static clickOps(options: ClickOpsEventOptions = {}): EcrEvent {
    guard('EcrEvent.clickOps', { options: [options, { ...REPOSITORY_FILTER_SPEC, eventNames: optional(listOf(STRING)) }] });
    return EcrEvent.apiCall({ ...options, eventNames: options.eventNames ?? [...CLICK_OPS_API_ACTIONS], outsideCloudFormation: true });
  }

  /**
   * Every event of Amazon ECR (source `aws.ecr`): the seven direct events
   * and the ECR API calls recorded by CloudTrail. For forwarding a
   * registry's events to a central bus, where routes filter them.
   */
  public static allEvents(): EcrEvent {
    return new EcrEvent(undefined, {}, undefined, () => undefined);
  }

  /** The `detail-type` of the events routed. @internal */
  public readonly _detailType: string | undefined;

  /** Why the route may match more than its filters say, to warn where it is added. @internal */
  public _warning?: string;

  /** The same event with other options (values resolved at synth): set by the factories that take options. */
  private rebuild?: (options: any) => EcrEvent;

  private constructor(
    detailType: string | undefined,
    private readonly filters: RepositoryEventFilterOptions,
    private readonly namePath: NamePath | undefined,
    private readonly detailFilters: (detail: Record<string, any>, problems: string[]) => void,
  ) {
    this._detailType = detailType;
  }

  /**
   * The options, and the problems of the event rebuilt from the same options
   * once their tokens are resolved (values such as `Lazy` lists are known
   * only at synth).
   *
   * @internal
   */
  public _recheck(): { options: unknown; problemsOf: (resolved: any) => string[] } | undefined {
    const rebuild = this.rebuild;
    if (rebuild === undefined) return undefined;
    return { options: this.filters, problemsOf: (resolved) => rebuild(resolved)._render().problems };
  }

  private withWarning(warning: string | undefined): EcrEvent {
    this._warning = warning;
    return this;
  }

  private withRebuild(rebuild: (options: any) => EcrEvent): EcrEvent {
    this.rebuild = rebuild;
    return this;
  }

  /**
   * The event pattern and the problems of the options: values ECR never
   * sends, empty lists, invalid names and prefixes, a pattern longer than
   * EventBridge takes.
   *
   * @internal
   */
  public _render(): RenderedEvent {
    const problems: string[] = [];
    const detail: Record<string, any> = {};
    this.detailFilters(detail, problems);
    const pattern: Record<string, any> = { source: [ECR_EVENT_SOURCE] };
    if (this._detailType !== undefined) pattern['detail-type'] = [this._detailType];
    const names = this.repositoryValues(problems);
    if (names !== undefined && this.namePath !== undefined) setPath(detail, this.namePath, names.values);
    if (Object.keys(detail).length > 0) pattern.detail = detail;
    if (names?.compress && this.namePath !== undefined) {
      const fitted = this.fit(pattern, names.compress, problems);
      if (fitted !== undefined) setPath(detail, this.namePath, fitted);
    }
    const length = JSON.stringify(pattern).length;
    if (length > MAX_EVENT_PATTERN_LENGTH && !holdsToken(pattern)) {
      problems.push(`the event pattern has ${length} characters, more than the ${MAX_EVENT_PATTERN_LENGTH} EventBridge takes: use repositoryPrefixes, or give otherRepositoryNames so that repositoryNames can be compressed into prefixes`);
    }
    return { pattern, problems };
  }

  /** The values of the repository name filter, or undefined for every repository. */
  private repositoryValues(problems: string[]): { values: any[]; compress?: { names: string[]; others: string[] } } | undefined {
    const { repositoryPrefixes: prefixes, repositoryNames: names, otherRepositoryNames: others } = this.filters;
    if (prefixes === undefined && names === undefined) {
      if (others !== undefined) problems.push('otherRepositoryNames is given without repositoryNames: it is used only to compress repositoryNames');
      return undefined;
    }
    if (this.namePath === undefined) return undefined;
    if (prefixes !== undefined) {
      if (prefixes.length === 0) problems.push('repositoryPrefixes is empty: no event would match; leave it out to route every repository');
      for (const p of known(prefixes)) {
        if (isConcrete(p) && !NAME_PREFIX.test(p)) {
          problems.push(`repositoryPrefixes holds '${p}', which cannot start a repository name: a lower-case letter or digit, then letters, digits, '.', '_', '-' or '/'`);
        }
      }
    }
    if (names !== undefined) {
      if (names.length === 0) problems.push('repositoryNames is empty: no event would match; leave it out to route every repository');
      for (const n of known(names)) {
        if (isConcrete(n) && !REPOSITORY_NAME_PATTERN.test(n)) problems.push(`repositoryNames holds '${n}', which is not a repository name (${REPOSITORY_NAME_PATTERN.source})`);
      }
    }
    if (isListToken(prefixes) || isListToken(names)) {
      // Known only at synth: rendered then (and checked then, by the routing construct).
      const render = (p: string[] | undefined, n: string[] | undefined) =>
        [...sortedUnique(n ?? []), ...sortedUnique(p ?? []).map((x) => ({ prefix: x }))];
      const atSynth: IResolvable = {
        creationStack: [],
        resolve: (context: IResolveContext) => render(context.resolve(prefixes), context.resolve(names)),
        toString: () => Token.asString(atSynth),
      };
      return { values: atSynth as any };
    }
    const exact = sortedUnique(names ?? []);
    const values: any[] = [...exact, ...sortedUnique(prefixes ?? []).map((p) => ({ prefix: p }))];
    const compressible = others !== undefined && !isListToken(others) && exact.length > 1 && exact.every(isConcrete);
    const compress = compressible ? { names: exact, others: [...others!] } : undefined;
    return { values, compress };
  }

  /**
   * Repository names compressed into prefixes (the fleet's compression, with
   * exact-name semantics) until the pattern fits, or undefined when the names
   * fit as they are.
   */
  private fit(pattern: Record<string, any>, compress: { names: string[]; others: string[] }, problems: string[]): any[] | undefined {
    const length = JSON.stringify(pattern).length;
    if (length <= MAX_EVENT_PATTERN_LENGTH) return undefined;
    const prefixes = sortedUnique(this.filters.repositoryPrefixes ?? []).map((p) => ({ prefix: p }));
    const registry = [...compress.names, ...compress.others.filter(isConcrete)];
    const fixed = length - JSON.stringify(compress.names).length + JSON.stringify(prefixes).length;
    let quota = compress.names.length;
    while (quota >= 1) {
      quota = Math.min(quota - 1, Math.floor(quota * (MAX_EVENT_PATTERN_LENGTH - fixed) / (length - fixed)));
      if (quota < 1) break;
      const c = compressFilters(compress.names, registry, quota, EXACT_NAMES);
      const values: any[] = [...c.names, ...c.prefixes.map((p) => ({ prefix: p.filter })), ...prefixes];
      const next = fixed + JSON.stringify(values).length;
      if (next <= MAX_EVENT_PATTERN_LENGTH) return values;
      if (!c.fits) break;
    }
    problems.push(`${compress.names.length} repositoryNames do not fit one event pattern, even as prefixes that cover none of otherRepositoryNames: split them into several routes or use repositoryPrefixes`);
    return undefined;
  }
}

/** Adds the outcome filter: SUCCESS as the value, FAILURE as anything but it. */
function outcomeFilter(detail: Record<string, any>, field: string, outcome: EventOutcome, success: string): void {
  if (outcome === EventOutcome.SUCCESS) detail[field] = [success];
  else if (outcome === EventOutcome.FAILURE) detail[field] = [{ 'anything-but': [success] }];
}

function exactFilter(detail: Record<string, any>, field: string, what: string, values: string[] | undefined, problems: string[]): void {
  if (values === undefined) return;
  if (values.length === 0) {
    problems.push(`${what} is empty: no event would match; leave it out to route all`);
    return;
  }
  for (const v of known(values)) if (v.length === 0) problems.push(`${what} holds an empty string, which no event carries`);
  detail[field] = sortedUnique(values);
}

/** A list known only at synth (such as `Lazy.list`): one encoded item. */
function isListToken(list: readonly string[] | undefined): boolean {
  return list !== undefined && list.length === 1 && Tokenization.reverseList(list as string[]) !== undefined;
}

/** The items of a list that are known now: none of a list token, the concrete ones of a list. */
function known(list: readonly string[] | undefined): string[] {
  if (list === undefined || isListToken(list)) return [];
  return list.filter(isConcrete);
}

function setPath(detail: Record<string, any>, path: NamePath, values: any[]): void {
  let node = detail;
  for (const key of path.slice(0, -1)) node = node[key] = { ...(node[key] ?? {}) };
  node[path[path.length - 1]] = values;
}

function sortedUnique<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)].sort();
}
