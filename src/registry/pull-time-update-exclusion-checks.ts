import { isConcrete } from '../internal/problems';

const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)\/[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;
/** Longest principal ARN accepted. */
const MAX_ARN = 200;

/** Problems with the principal of a pull-time-update exclusion. @internal */
export function exclusionPrincipalProblems(arn: string): string[] {
  if (!isConcrete(arn)) return [];
  if (arn.length > MAX_ARN || !PRINCIPAL_ARN.test(arn)) {
    return [`principalArn '${arn}' is not an IAM role or user ARN (arn:PARTITION:iam::ACCOUNT:role/NAME or user/NAME, at most ${MAX_ARN} characters)`];
  }
  return [];
}
