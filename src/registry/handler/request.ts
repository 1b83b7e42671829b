/**
 * What a request of the settings handler is made of: the CloudFormation
 * custom resource event, the outcome, the dependencies (clients, clock and
 * time budget) every resource kind uses, and the record of what a request
 * has done so far.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
/* eslint-enable import/no-extraneous-dependencies */

/** The CloudFormation custom resource request fields this handler reads. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: Record<string, string | undefined>;
  readonly OldResourceProperties?: Record<string, string | undefined>;
  readonly PhysicalResourceId?: string;
  readonly ResponseURL?: string;
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceType?: string;
}

/** What a request produced. */
export interface Outcome {
  readonly PhysicalResourceId: string;
  readonly Data: Record<string, string>;
}

/** The clients and clock the handler uses; tests pass their own. */
export interface Dependencies {
  readonly inspector: Inspector2Client;
  readonly ecr: ECRClient;
  /** Reads the stack's own resources (ownership); absent: ownership is judged from the physical ID alone. */
  readonly cloudformation?: CloudFormationClient;
  readonly sleep: (ms: number) => Promise<void>;
  /** The current time in milliseconds. */
  readonly now: () => number;
  /** The time (as `now()` counts) by which the request must be handled, leaving time to respond. */
  readonly deadline: number;
  /** The first retry delay of a transient error, doubled each attempt. */
  readonly retryBaseMs: number;
  /** Attempts of one call before a transient error fails the request. */
  readonly maxAttempts: number;
}

/** A failure that carries the physical ID recording what was done before it. */
export class PartialFailure extends Error {
  constructor(message: string, public readonly physicalResourceId: string) {
    super(message);
    this.name = 'PartialFailure';
  }
}

/** The physical ID recording what a request has done so far, for a response sent when its time runs out. */
export const progress = new WeakMap<CustomResourceEvent, string>();
