import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MAX_BUS_POLICY_LENGTH } from './facts';
import { guardConstruct, listOf, optional, STRING } from '../internal/input';
import { addOrganizationProblems } from '../internal/organizations';
import { checkAccountId, isConcrete, Problems, subjectOf } from '../internal/problems';

/** Properties of a `CentralEventBus`. */
export interface CentralEventBusProps {
  /**
   * The bus's name.
   *
   * @default - a name generated from the construct path (routes of other accounts name the bus)
   */
  readonly eventBusName?: string;

  /**
   * Accounts whose registries may put events on the bus.
   *
   * @default - none: give `organizationId`
   */
  readonly sourceAccounts?: string[];

  /**
   * The organization whose accounts may put events on the bus
   * (`aws:PrincipalOrgID`): every account of a StackSet rollout.
   *
   * @default - none: give `sourceAccounts`
   */
  readonly organizationId?: string;
}

/**
 * An event bus in a central security or platform account that receives the
 * registry events of other accounts, with a bus policy that lets only the
 * named accounts, or only the accounts of the organization, put events. A
 * bus without either is refused: nothing could reach it. Route the received
 * events with a `RegistryEventRouting` on this bus.
 *
 * @example
 * const central = new CentralEventBus(this, 'Registry', { organizationId: 'o-a1b2c3d4e5' });
 * new RegistryEventRouting(this, 'Central', { eventBus: central.eventBus })
 *   .addRoute('ClickOps', EcrEvent.clickOps());
 */
export class CentralEventBus extends Construct {
  /** The bus. */
  public readonly eventBus: events.EventBus;
  private readonly accounts: string[];
  private readonly organizationId?: string;

  constructor(scope: Construct, id: string, props: CentralEventBusProps) {
    guardConstruct('CentralEventBus', scope, id, props, {
      eventBusName: optional(STRING),
      sourceAccounts: optional(listOf(STRING)),
      organizationId: optional(STRING),
    });
    super(scope, id);
    const problems = new Problems(subjectOf('CentralEventBus', scope, id));
    const accounts = [...new Set(props.sourceAccounts ?? [])].sort();
    if (accounts.length === 0 && props.organizationId === undefined) {
      problems.add('neither sourceAccounts nor organizationId is given: the bus policy would let no other account put events; name the accounts or the organization');
    }
    for (const a of accounts) checkAccountId(problems, 'sourceAccounts holds', a);
    if (props.organizationId !== undefined) addOrganizationProblems(problems, props.organizationId, []);
    // Each statement is about 250 characters, plus 60 per account.
    const estimate = 300 + 60 * accounts.length;
    if (estimate > MAX_BUS_POLICY_LENGTH) {
      problems.add(`${accounts.length} sourceAccounts do not fit the event bus policy (${MAX_BUS_POLICY_LENGTH} characters): give organizationId instead`);
    }
    problems.throwIfAny();
    this.accounts = accounts;
    this.organizationId = props.organizationId;

    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? Names.uniqueResourceName(this, { maxLength: 256, separator: '-' }) });
    if (accounts.length > 0) {
      this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'RegistryAccountsPutEvents',
        principals: accounts.map((a) => new iam.AccountPrincipal(a)),
        actions: ['events:PutEvents'],
        resources: [this.eventBus.eventBusArn],
      }));
    }
    if (props.organizationId !== undefined) {
      this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'OrganizationAccountsPutEvents',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.eventBus.eventBusArn],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }));
    }
  }

  /** Whether the bus policy lets an account put events (false for an unresolved account). */
  public allowsAccount(account: string): boolean {
    if (!isConcrete(account)) return false;
    return this.organizationId !== undefined || this.accounts.includes(account) || account === Stack.of(this).account;
  }
}
