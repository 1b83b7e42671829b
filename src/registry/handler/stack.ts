/**
 * The stack's own resources, read to know who owns a setting: a resource
 * that moved to a new logical ID takes over the record of the old one, and
 * a delete never undoes what another live resource of the stack relies on.
 */
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
/* eslint-enable import/no-extraneous-dependencies */
import { CustomResourceEvent, Dependencies } from './request';
import { ADMIN_ID, ADMIN_TYPE, INSPECTOR_ID, INSPECTOR_TYPE, ORGANIZATION_ID, ORGANIZATION_TYPE, SETTING_ID } from './resource-types';
import { call } from './retry';

export interface StackResource {
  readonly logicalId: string;
  readonly physicalId: string;
}

/** The account ID of the request, from the stack ARN. */
export function accountOf(event: CustomResourceEvent): string | undefined {
  const fromArn = (arn: string | undefined) => arn?.split(':')[4] || undefined;
  return fromArn(event.StackId) ?? fromArn(event.ResourceProperties.ServiceToken);
}

interface StackEntry extends StackResource {
  readonly type: string;
  readonly status: string;
}

async function listStack(event: CustomResourceEvent, deps: Dependencies): Promise<StackEntry[] | undefined> {
  if (!deps.cloudformation || !event.StackId) return undefined;
  const out: StackEntry[] = [];
  let token: string | undefined;
  do {
    const page = await call(deps, 'cloudformation:ListStackResources', () => deps.cloudformation!.send(new ListStackResourcesCommand({ StackName: event.StackId, NextToken: token })));
    for (const r of page.StackResourceSummaries ?? []) {
      out.push({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId ?? '', type: r.ResourceType ?? '', status: r.ResourceStatus ?? '' });
    }
    token = page.NextToken;
  } while (token);
  return out;
}

function live(status: string): boolean {
  return !status.startsWith('DELETE_') && status !== 'CREATE_FAILED';
}

/** The other live resources of this type in the same stack (empty when the stack cannot be read). */
export async function othersInStack(event: CustomResourceEvent, deps: Dependencies, type: string): Promise<StackResource[]> {
  try {
    const all = await listStack(event, deps);
    return (all ?? []).filter((r) => r.type === type && r.logicalId !== event.LogicalResourceId && live(r.status));
  } catch {
    return [];
  }
}

/**
 * What a delete needs to know of its stack: whether this physical ID was
 * replaced by a newer one of the same logical resource, and which other
 * live resources of the same type (matching `same`) remain. Undefined when
 * the stack cannot be read.
 */
export async function stackView(
  event: CustomResourceEvent, deps: Dependencies, type: string, same: (physicalId: string) => boolean = () => true,
): Promise<{ replaced: boolean; others: StackResource[] } | undefined> {
  if (!deps.cloudformation || !event.StackId) return { replaced: false, others: [] };
  let all;
  try {
    all = await listStack(event, deps);
  } catch (e: any) {
    console.error(e);
    return undefined;
  }
  if (all === undefined) return { replaced: false, others: [] };
  const self = all.find((r) => r.logicalId === event.LogicalResourceId);
  const prefixes: Record<string, string> = { [INSPECTOR_TYPE]: INSPECTOR_ID, [ADMIN_TYPE]: ADMIN_ID, [ORGANIZATION_TYPE]: ORGANIZATION_ID };
  const prefix = `${prefixes[type] ?? SETTING_ID}:`;
  const replaced = self !== undefined && self.physicalId !== '' && self.physicalId !== event.PhysicalResourceId && self.physicalId.startsWith(prefix) && live(self.status);
  const others = all.filter((r) => r.type === type && r.logicalId !== event.LogicalResourceId && live(r.status) && same(r.physicalId));
  return { replaced, others };
}
