import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  AssociateMemberCommand,
  DescribeOrganizationConfigurationCommand,
  DisableDelegatedAdminAccountCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetDelegatedAdminAccountCommand,
  Inspector2Client,
  ListDelegatedAdminAccountsCommand,
  ListMembersCommand,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-inspector2';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { InspectorDelegatedAdministrator, InspectorOrganizationScanning, InspectorScanning, InspectorRescanDuration, RegistryBaseline } from '../../src';
import { CustomResourceEvent, Dependencies, handle } from '../../src/registry/account-settings.lambda';
import { strictApp, strictStack, validTemplate } from '../util/harness';

const inspector = mockClient(Inspector2Client);
const cloudformation = mockClient(CloudFormationClient);

const MANAGEMENT = '999999999999';
const ADMIN = '222222222222';
const stackId = (account: string) => `arn:aws:cloudformation:eu-west-1:${account}:stack/Organization/0d3a6c70-cd4e-11ef-9d5c-0a1b2c3d4e5f`;

function deps(): Dependencies {
  let clock = 1_000_000;
  return {
    inspector: new Inspector2Client({ region: 'eu-west-1' }),
    ecr: new ECRClient({ region: 'eu-west-1' }),
    cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
    sleep: async (ms) => { clock += ms; },
    now: () => clock,
    deadline: clock + 600_000,
    retryBaseMs: 100,
    maxAttempts: 4,
  };
}

function adminEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string> = {}, physicalId?: string): CustomResourceEvent {
  return {
    RequestType: type,
    PhysicalResourceId: physicalId,
    StackId: stackId(MANAGEMENT),
    LogicalResourceId: 'InspectorAdmin',
    ResourceProperties: { Kind: 'InspectorDelegatedAdmin', AdministratorAccount: ADMIN, DisableOnDelete: 'false', ...props },
  };
}

function orgEvent(type: 'Create' | 'Update' | 'Delete', props: Record<string, string> = {}, physicalId?: string): CustomResourceEvent {
  return {
    RequestType: type,
    PhysicalResourceId: physicalId,
    StackId: stackId(ADMIN),
    LogicalResourceId: 'InspectorOrganization',
    ResourceProperties: { Kind: 'InspectorOrganization', EnableExistingMembers: 'true', DisableOnDelete: 'false', ...props },
  };
}

function stackHolds(...resources: Array<[logicalId: string, type: string, physicalId: string]>) {
  cloudformation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: resources.map(([LogicalResourceId, ResourceType, PhysicalResourceId]) => ({
      LogicalResourceId, ResourceType, PhysicalResourceId, ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date(0),
    })),
  });
}

beforeEach(() => {
  inspector.reset();
  cloudformation.reset();
  stackHolds();
});

describe('Inspector delegated administrator handler (management account)', () => {
  test('create with no administrator: designates the account and owns the designation', async () => {
    inspector.on(ListDelegatedAdminAccountsCommand).resolves({ delegatedAdminAccounts: [] });
    inspector.on(EnableDelegatedAdminAccountCommand).resolves({ delegatedAdminAccountId: ADMIN });
    const out = await handle(adminEvent('Create'), deps());
    expect(out).toEqual({ PhysicalResourceId: `inspector-delegated-admin:${ADMIN}:owns=1`, Data: { Action: 'DESIGNATED', AdministratorAccount: ADMIN } });
    expect(inspector.commandCalls(EnableDelegatedAdminAccountCommand)[0].args[0].input).toEqual({ delegatedAdminAccountId: ADMIN });
  });

  test('create when the account is already the administrator: no call, not owned', async () => {
    inspector.on(ListDelegatedAdminAccountsCommand).resolves({ delegatedAdminAccounts: [{ accountId: ADMIN, status: 'ENABLED' }] });
    const out = await handle(adminEvent('Create'), deps());
    expect(out.PhysicalResourceId).toBe(`inspector-delegated-admin:${ADMIN}:owns=0`);
    expect(inspector.commandCalls(EnableDelegatedAdminAccountCommand)).toHaveLength(0);
  });

  test('create when another account is the administrator: fails naming it, changes nothing', async () => {
    inspector.on(ListDelegatedAdminAccountsCommand).resolves({ delegatedAdminAccounts: [{ accountId: '333333333333', status: 'ENABLED' }] });
    await expect(handle(adminEvent('Create'), deps())).rejects.toThrow(/delegated administrator in this region is 333333333333, not 222222222222/);
    expect(inspector.commandCalls(EnableDelegatedAdminAccountCommand)).toHaveLength(0);
  });

  test('delete without disableOnDelete: keeps the designation', async () => {
    const out = await handle(adminEvent('Delete', {}, `inspector-delegated-admin:${ADMIN}:owns=1`), deps());
    expect(out.Data.Action).toBe('KEPT');
    expect(inspector.commandCalls(DisableDelegatedAdminAccountCommand)).toHaveLength(0);
  });

  test('delete with disableOnDelete of a designation it did not make: keeps it', async () => {
    const out = await handle(adminEvent('Delete', { DisableOnDelete: 'true' }, `inspector-delegated-admin:${ADMIN}:owns=0`), deps());
    expect(out.Data).toEqual({ Action: 'KEPT', Reason: 'this resource did not designate the administrator' });
  });

  test('delete with disableOnDelete of its own designation, still in place: removes it', async () => {
    inspector.on(ListDelegatedAdminAccountsCommand).resolves({ delegatedAdminAccounts: [{ accountId: ADMIN, status: 'ENABLED' }] });
    inspector.on(DisableDelegatedAdminAccountCommand).resolves({ delegatedAdminAccountId: ADMIN });
    const out = await handle(adminEvent('Delete', { DisableOnDelete: 'true' }, `inspector-delegated-admin:${ADMIN}:owns=1`), deps());
    expect(out.Data.Action).toBe('DISABLED');
    expect(inspector.commandCalls(DisableDelegatedAdminAccountCommand)[0].args[0].input).toEqual({ delegatedAdminAccountId: ADMIN });
  });

  test('delete with disableOnDelete when someone changed the administrator since: keeps it', async () => {
    inspector.on(ListDelegatedAdminAccountsCommand).resolves({ delegatedAdminAccounts: [{ accountId: '333333333333', status: 'ENABLED' }] });
    const out = await handle(adminEvent('Delete', { DisableOnDelete: 'true' }, `inspector-delegated-admin:${ADMIN}:owns=1`), deps());
    expect(out.Data).toEqual({ Action: 'KEPT', Reason: `${ADMIN} is no longer the delegated administrator` });
    expect(inspector.commandCalls(DisableDelegatedAdminAccountCommand)).toHaveLength(0);
  });

  test('delete when the stack cannot be read: keeps it', async () => {
    cloudformation.on(ListStackResourcesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const out = await handle(adminEvent('Delete', { DisableOnDelete: 'true' }, `inspector-delegated-admin:${ADMIN}:owns=1`), deps());
    expect(out.Data.Action).toBe('KEPT');
    expect(inspector.commandCalls(DisableDelegatedAdminAccountCommand)).toHaveLength(0);
  });

  test('delete refused (permissions removed with the construct): keeps it and lets the stack delete', async () => {
    inspector.on(ListDelegatedAdminAccountsCommand).resolves({ delegatedAdminAccounts: [{ accountId: ADMIN, status: 'ENABLED' }] });
    inspector.on(DisableDelegatedAdminAccountCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    const out = await handle(adminEvent('Delete', { DisableOnDelete: 'true' }, `inspector-delegated-admin:${ADMIN}:owns=1`), deps());
    expect(out.Data.Action).toBe('KEPT');
    expect(out.Data.Reason).toMatch(/^not permitted: /);
  });
});

describe('Inspector organization configuration handler (delegated administrator)', () => {
  beforeEach(() => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: ADMIN, relationshipStatus: 'ENABLED' } });
  });

  test('create: turns ECR auto-enable on keeping the other types, and enables every associated member in batches of 100', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: true, ecr: false, lambda: true } });
    inspector.on(UpdateOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: true, ecr: true, lambda: true } });
    const members = Array.from({ length: 150 }, (_, i) => ({ accountId: String(300000000000 + i), relationshipStatus: 'ENABLED' as const }));
    for (const onlyAssociated of [true, false]) {
      inspector.on(ListMembersCommand, { onlyAssociated, nextToken: undefined }).resolves({ members: members.slice(0, 120), nextToken: 'p2' });
      inspector.on(ListMembersCommand, { onlyAssociated, nextToken: 'p2' }).resolves({ members: members.slice(120) });
    }
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [] });
    const out = await handle(orgEvent('Create'), deps());
    expect(out.PhysicalResourceId).toBe('inspector-organization-ecr:owns=1');
    expect(out.Data).toMatchObject({ Role: 'DELEGATED_ADMINISTRATOR', AutoEnable: 'TURNED_ON', MembersAssociated: '0', MembersEnabled: '150', MembersPending: '0', MembersFailed: '' });
    expect(inspector.commandCalls(AssociateMemberCommand)).toHaveLength(0);
    const update = inspector.commandCalls(UpdateOrganizationConfigurationCommand)[0].args[0].input;
    expect(update).toEqual({ autoEnable: { ec2: true, ecr: true, lambda: true } });
    const batches = inspector.commandCalls(EnableCommand).map((c) => c.args[0].input);
    expect(batches.map((b) => b.accountIds?.length)).toEqual([100, 50]);
    expect(batches.every((b) => JSON.stringify(b.resourceTypes) === '["ECR"]')).toBe(true);
  });

  test('create when auto-enable is already on: not owned; failed members are reported, not fatal', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    inspector.on(ListMembersCommand).resolves({ members: [{ accountId: '300000000001', relationshipStatus: 'ENABLED' }, { accountId: '300000000002', relationshipStatus: 'ENABLED' }] });
    const failedAccounts = [{ accountId: '300000000002', errorCode: 'SUSPENDED', errorMessage: 'suspended', status: 'DISABLED' }];
    inspector.on(EnableCommand).resolves({ failedAccounts } as any);
    const out = await handle(orgEvent('Create'), deps());
    expect(out.PhysicalResourceId).toBe('inspector-organization-ecr:owns=0');
    expect(out.Data).toMatchObject({ AutoEnable: 'ALREADY_ON', MembersEnabled: '1', MembersFailed: '300000000002 SUSPENDED' });
    expect(inspector.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(0);
  });

  test('create: accounts of the organization not yet associated are associated first, then enabled with the members', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    inspector.on(ListMembersCommand, { onlyAssociated: false }).resolves({
      members: [
        { accountId: '300000000001', relationshipStatus: 'ENABLED' },
        { accountId: '300000000002', relationshipStatus: 'CREATED' },
        { accountId: '300000000003', relationshipStatus: 'REMOVED' },
        { accountId: '300000000004', relationshipStatus: 'ACCOUNT_SUSPENDED' },
      ],
    });
    // Association completes asynchronously: the first listing of associated members does not show them yet.
    inspector.on(ListMembersCommand, { onlyAssociated: true })
      .resolvesOnce({ members: [{ accountId: '300000000001', relationshipStatus: 'ENABLED' }] })
      .resolves({ members: ['300000000001', '300000000002', '300000000003'].map((accountId) => ({ accountId, relationshipStatus: 'ENABLED' as const })) });
    inspector.on(AssociateMemberCommand).resolves({ accountId: 'x' });
    inspector.on(EnableCommand).resolves({ accounts: [], failedAccounts: [] });
    const out = await handle(orgEvent('Create'), deps());
    expect(inspector.commandCalls(AssociateMemberCommand).map((c) => c.args[0].input.accountId)).toEqual(['300000000002', '300000000003']);
    expect(inspector.commandCalls(EnableCommand).map((c) => c.args[0].input)).toEqual([{ accountIds: ['300000000001', '300000000002', '300000000003'], resourceTypes: ['ECR'] }]);
    expect(out.Data).toMatchObject({ MembersAssociated: '2', MembersEnabled: '3', MembersPending: '0', MembersFailed: '300000000004 ACCOUNT_SUSPENDED' });
  });

  test('create: members whose ECR scanning is already on, or turning on, count as enabled, not failed', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    inspector.on(ListMembersCommand).resolves({ members: ['300000000001', '300000000002', '300000000003'].map((accountId) => ({ accountId, relationshipStatus: 'ENABLED' as const })) });
    inspector.on(EnableCommand).resolves({
      accounts: [],
      failedAccounts: [
        { accountId: '300000000001', errorCode: 'ALREADY_ENABLED', errorMessage: 'already enabled' },
        { accountId: '300000000002', errorCode: 'ENABLE_IN_PROGRESS', errorMessage: 'in progress' },
        { accountId: '300000000003', errorCode: 'ACCESS_DENIED', errorMessage: 'denied' },
      ],
    });
    const out = await handle(orgEvent('Create'), deps());
    expect(out.Data).toMatchObject({ MembersEnabled: '2', MembersFailed: '300000000003 ACCESS_DENIED' });
  });

  test('create: an association refused for one account, or still running when the wait ends, is reported, not fatal', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    inspector.on(ListMembersCommand, { onlyAssociated: false }).resolves({
      members: [{ accountId: '300000000002', relationshipStatus: 'CREATED' }, { accountId: '300000000003', relationshipStatus: 'CREATED' }],
    });
    inspector.on(ListMembersCommand, { onlyAssociated: true }).resolves({ members: [] });
    inspector.on(AssociateMemberCommand, { accountId: '300000000002' }).resolves({ accountId: '300000000002' });
    inspector.on(AssociateMemberCommand, { accountId: '300000000003' }).rejects(Object.assign(new Error('no'), { name: 'ValidationException' }));
    const d = deps();
    const out = await handle(orgEvent('Create'), d);
    expect(out.Data).toMatchObject({ MembersAssociated: '1', MembersEnabled: '0', MembersPending: '1', MembersFailed: '300000000003 ValidationException' });
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
    // it waited for the association, within its budget
    expect(inspector.commandCalls(ListMembersCommand, { onlyAssociated: true }).length).toBeGreaterThan(1);
    expect(d.now()).toBeLessThan(d.deadline);
  });

  test('create: the time budget ends the associations, and what is left is counted as pending', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    inspector.on(ListMembersCommand, { onlyAssociated: false }).resolves({
      members: Array.from({ length: 5 }, (_, i) => ({ accountId: String(300000000010 + i), relationshipStatus: 'CREATED' as const })),
    });
    inspector.on(ListMembersCommand, { onlyAssociated: true }).resolves({ members: [] });
    let clock = 0;
    const d = { ...deps(), now: () => clock, deadline: 100_000, sleep: async (ms: number) => { clock += ms; } };
    // each association takes 15 s: the 60 s kept for the response leaves room for two
    inspector.on(AssociateMemberCommand).callsFake(async () => { clock += 15_000; return {}; });
    const out = await handle(orgEvent('Create'), d);
    expect(inspector.commandCalls(AssociateMemberCommand)).toHaveLength(3);
    expect(out.Data).toMatchObject({ MembersAssociated: '3', MembersPending: '5', MembersEnabled: '0' });
  });

  test('without enableExistingMembers: members are not listed', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    await handle(orgEvent('Create', { EnableExistingMembers: 'false' }), deps());
    expect(inspector.commandCalls(ListMembersCommand)).toHaveLength(0);
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
  });

  test('in a member account: fails naming the administrator, changes nothing', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).resolves({ delegatedAdmin: { accountId: '333333333333', relationshipStatus: 'ENABLED' } });
    await expect(handle(orgEvent('Create'), deps())).rejects.toThrow(/whose delegated administrator is 333333333333: deploy the organization configuration there/);
    expect(inspector.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(0);
  });

  test('with no administrator: fails saying to designate one', async () => {
    inspector.on(GetDelegatedAdminAccountCommand).rejects(Object.assign(new Error('none'), { name: 'ResourceNotFoundException' }));
    await expect(handle(orgEvent('Create'), deps())).rejects.toThrow(/has no delegated administrator in this region: designate one from the management account/);
  });

  test('update keeps ownership recorded by the create', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: false, ecr: true } });
    const out = await handle(orgEvent('Update', { EnableExistingMembers: 'false' }, 'inspector-organization-ecr:owns=1'), deps());
    expect(out.PhysicalResourceId).toBe('inspector-organization-ecr:owns=1');
  });

  test('delete with disableOnDelete of its own auto-enable: turns ECR auto-enable off, keeps the other types, never disables members', async () => {
    inspector.on(DescribeOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: true, ecr: true } });
    inspector.on(UpdateOrganizationConfigurationCommand).resolves({ autoEnable: { ec2: true, ecr: false } });
    const out = await handle(orgEvent('Delete', { DisableOnDelete: 'true' }, 'inspector-organization-ecr:owns=1'), deps());
    expect(out.Data.Action).toBe('AUTO_ENABLE_OFF');
    expect(inspector.commandCalls(UpdateOrganizationConfigurationCommand)[0].args[0].input).toEqual({ autoEnable: { ec2: true, ecr: false } });
    expect(inspector.commandCalls(EnableCommand)).toHaveLength(0);
  });

  test('delete of an auto-enable it found on, or without disableOnDelete, or while another resource of the stack uses it: keeps it', async () => {
    for (const [props, id] of [[{ DisableOnDelete: 'true' }, 'inspector-organization-ecr:owns=0'], [{}, 'inspector-organization-ecr:owns=1']] as const) {
      const out = await handle(orgEvent('Delete', props, id), deps());
      expect(out.Data.Action).toBe('KEPT');
    }
    stackHolds(['InspectorOrganization', 'Custom::EcrInspectorOrganization', 'inspector-organization-ecr:owns=1'], ['Other', 'Custom::EcrInspectorOrganization', 'inspector-organization-ecr:owns=0']);
    const out = await handle(orgEvent('Delete', { DisableOnDelete: 'true' }, 'inspector-organization-ecr:owns=1'), deps());
    expect(out.Data).toEqual({ Action: 'KEPT', Reason: 'Other of the same stack still uses it' });
    expect(inspector.commandCalls(UpdateOrganizationConfigurationCommand)).toHaveLength(0);
  });
});

describe('organization-wide Inspector constructs', () => {
  test('the management account stack designates the administrator through the settings provider, with the Organizations permissions it needs', () => {
    const stack = strictStack({ env: { account: MANAGEMENT, region: 'eu-west-1' } });
    new InspectorDelegatedAdministrator(stack, 'InspectorAdmin', { administratorAccount: ADMIN });
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('Custom::EcrInspectorDelegatedAdmin', { Kind: 'InspectorDelegatedAdmin', AdministratorAccount: ADMIN, DisableOnDelete: 'false' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['inspector2:EnableDelegatedAdminAccount', 'organizations:RegisterDelegatedAdministrator']) })]) },
    });
  });

  test('the delegated administrator stack turns on organization scanning next to its own rescan durations, with one provider', () => {
    const stack = strictStack({ env: { account: ADMIN, region: 'eu-west-1' } });
    new InspectorScanning(stack, 'Inspector', { rescanDuration: InspectorRescanDuration.DAYS_180 });
    new InspectorOrganizationScanning(stack, 'Organization');
    const template = validTemplate(stack, { nag: true });
    template.hasResourceProperties('Custom::EcrInspectorOrganization', { Kind: 'InspectorOrganization', EnableExistingMembers: 'true', DisableOnDelete: 'false' });
    template.resourceCountIs('AWS::Lambda::Function', 1);
    for (const action of ['inspector2:UpdateOrganizationConfiguration', 'inspector2:ListMembers', 'inspector2:AssociateMember', 'inspector2:Enable']) {
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith([action]) })]) },
      });
    }
  });

  test('given two regions that designate different accounts, then synth fails: an organization has one administrator, the same everywhere', () => {
    const app = strictApp();
    const eu = new Stack(app, 'OrganizationEu', { env: { account: MANAGEMENT, region: 'eu-west-1' } });
    const us = new Stack(app, 'OrganizationUs', { env: { account: MANAGEMENT, region: 'us-east-1' } });
    new InspectorDelegatedAdministrator(eu, 'InspectorAdmin', { administratorAccount: ADMIN });
    new InspectorDelegatedAdministrator(us, 'InspectorAdmin', { administratorAccount: '777777777777' });
    expect(() => app.synth()).toThrow(new RegExp(`\\[OrganizationUs/InspectorAdmin\\] InspectorDelegatedAdministrator 'OrganizationUs/InspectorAdmin' designates 777777777777 in us-east-1, but 'OrganizationEu/InspectorAdmin' designates ${ADMIN} in eu-west-1: an organization has one delegated administrator`));
  });

  test('given every region designating the same account, then synth succeeds', () => {
    const app = strictApp();
    for (const region of ['eu-west-1', 'us-east-1']) {
      new InspectorDelegatedAdministrator(new Stack(app, `Organization-${region}`, { env: { account: MANAGEMENT, region } }), 'InspectorAdmin', { administratorAccount: ADMIN });
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('bad input and a baseline scope fail clearly', () => {
    const stack = strictStack();
    expect(() => new InspectorDelegatedAdministrator(stack, 'A', { administratorAccount: '12' })).toThrow(/^InspectorDelegatedAdministrator 'Stack\/A': 1 problem:\n {2}- administratorAccount '12' is not an AWS account ID/);
    const baseline = new RegistryBaseline(strictApp(), 'Baseline');
    expect(() => new InspectorOrganizationScanning(baseline, 'O')).toThrow(/^InspectorOrganizationScanning 'Baseline\/O': 1 problem:\n {2}- the scope is a registry baseline/);
    expect(() => new InspectorDelegatedAdministrator(baseline, 'A', { administratorAccount: ADMIN })).toThrow(/the scope is a registry baseline/);
    expect(Stack.of(baseline)).toBe(baseline);
  });
});
