import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Where the stack's settings provider function runs. One function per stack
 * serves `InspectorScanning` and `EcrAccountSettings`: set the placement on
 * either (or both, with the same values).
 *
 * In a VPC the function must reach the regional Amazon Inspector, ECR and
 * CloudWatch Logs APIs: interface endpoints for `inspector2`, `ecr.api` and
 * `logs` in the chosen subnets (with security groups that allow HTTPS from
 * the function), or a route to a NAT gateway. It also calls AWS
 * CloudFormation's response URL (an S3 presigned URL): a gateway endpoint for
 * S3, or NAT.
 */
export interface SettingsProviderPlacement {
  /**
   * The VPC to run the settings provider function in.
   *
   * @default - not in a VPC (AWS Control Tower's CT.LAMBDA.PR.3 then fails for the function)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` for the function. Needs `vpc`.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups for the function. Needs `vpc`.
   *
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}
