/*
 * The shapes the operations constructs hand each other, kept out of the
 * package's public API (this file is not exported by the folder's index).
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The pattern and problems of an event with its repository filters rendered. @internal */
export interface RenderedEvent {
  readonly pattern: Record<string, any>;
  readonly problems: string[];
}

/** What every target of a routing construct shares. @internal */
export interface TargetDefaults {
  /** The construct the target's supporting resources are created in. */
  readonly scope: Construct;
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** The pattern of an event, as aws-cdk-lib's rules take it. @internal */
export function eventPatternOf(pattern: Record<string, any>): events.EventPattern {
  return { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail };
}
