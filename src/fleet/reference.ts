import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PrivateRepository } from '../repository/private-repository';

/**
 * A fleet repository as grants and other stacks see it: its name and ARN are
 * literals of the shard's concrete account and region, so that using it from
 * another stack creates no CloudFormation export in the shard (an export
 * would count against the shard's 200 outputs and block moving the
 * repository while it is imported). Statements for the resource policy
 * (grants to other accounts) and pushers (for signing) go to the repository
 * itself.
 *
 * @internal
 */
export class FleetRepositoryReference extends ecr.RepositoryBase {
  public readonly repositoryName: string;
  public readonly repositoryArn: string;

  constructor(scope: Construct, id: string, private readonly repository: PrivateRepository, repositoryName: string) {
    super(scope, id);
    this.repositoryName = repositoryName;
    this.repositoryArn = Stack.of(scope).formatArn({ service: 'ecr', resource: 'repository', resourceName: repositoryName });
  }

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return this.repository.addToResourcePolicy(statement);
  }

  public grantPush(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantPush(grantee);
    this.repository._addPusher(grantee);
    return grant;
  }

  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    const grant = super.grantPullPush(grantee);
    this.repository._addPusher(grantee);
    return grant;
  }
}
