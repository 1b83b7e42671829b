import { Annotations, ArnFormat, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkRepositoryName } from './names';
import { addToRepositoryPolicy } from './statement-checks';
import { MAX_PUBLIC_CATALOG_TEXT } from '../internal/ecr-facts';
import { guard, guardConstruct, instanceOf, listOf, OBJECT, oneOf, optional, STRING, struct } from '../internal/input';
import { checkRemovalPolicy, isConcrete, Problems, subjectOf } from '../internal/problems';
import { checkNowAndAtSynth } from '../internal/resolve';
import { checkPhysicalNames } from '../registry/physical-names';

/**
 * An architecture badge of the Amazon ECR Public Gallery.
 */
export class PublicArchitecture {
  /** 32-bit ARM. */
  public static readonly ARM = new PublicArchitecture('ARM');
  /** 64-bit ARM. */
  public static readonly ARM_64 = new PublicArchitecture('ARM 64');
  /** 32-bit x86. */
  public static readonly X86 = new PublicArchitecture('x86');
  /** 64-bit x86. */
  public static readonly X86_64 = new PublicArchitecture('x86-64');
  /** Another architecture label (shown, but not a gallery search filter). */
  public static of(label: string): PublicArchitecture {
    guard('PublicArchitecture.of', { label: [label, STRING] });
    return new PublicArchitecture(label);
  }
  private constructor(/** The label ECR Public receives. */ public readonly label: string) {}
}

/**
 * An operating system badge of the Amazon ECR Public Gallery.
 */
export class PublicOperatingSystem {
  /** Linux. */
  public static readonly LINUX = new PublicOperatingSystem('Linux');
  /** Windows. */
  public static readonly WINDOWS = new PublicOperatingSystem('Windows');
  /** Another operating system label (shown, but not a gallery search filter). */
  public static of(label: string): PublicOperatingSystem {
    guard('PublicOperatingSystem.of', { label: [label, STRING] });
    return new PublicOperatingSystem(label);
  }
  private constructor(/** The label ECR Public receives. */ public readonly label: string) {}
}

/**
 * What the Amazon ECR Public Gallery shows about a repository.
 */
export interface PublicRepositoryCatalogData {
  /**
   * A short description, shown in search results (up to 1,024 characters).
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * The long description, in Markdown (up to 10,240 characters).
   *
   * @default - none
   */
  readonly aboutText?: string;
  /**
   * How to use the images, in Markdown (up to 10,240 characters).
   *
   * @default - none
   */
  readonly usageText?: string;
  /**
   * Architectures the images run on.
   *
   * @default - none
   */
  readonly architectures?: PublicArchitecture[];
  /**
   * Operating systems the images run on.
   *
   * @default - none
   */
  readonly operatingSystems?: PublicOperatingSystem[];
}

/**
 * Properties of a public repository.
 */
export interface PublicRepositoryProps {
  /**
   * The repository's name: 2 to 205 characters, lowercase letters and digits
   * separated by `.`, `_`, `-` and `/`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly repositoryName?: string;
  /**
   * What the gallery shows about the repository.
   *
   * @default - no catalog data
   */
  readonly catalogData?: PublicRepositoryCatalogData;
  /**
   * What happens to the repository when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const PUBLIC_ACTIONS_PUSH = [
  'ecr-public:BatchCheckLayerAvailability',
  'ecr-public:CompleteLayerUpload',
  'ecr-public:InitiateLayerUpload',
  'ecr-public:PutImage',
  'ecr-public:UploadLayerPart',
];

/**
 * A repository in Amazon ECR Public, with typed gallery catalog data. ECR
 * Public lives in us-east-1 only, so the stack must be there.
 */
export class PublicRepository extends Resource {
  /** The repository's name. */
  public readonly repositoryName: string;
  /** The repository's ARN. */
  public readonly repositoryArn: string;
  /** The underlying CloudFormation resource. */
  public readonly cfnRepository: ecr.CfnPublicRepository;
  private policy?: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: PublicRepositoryProps = {}) {
    guardConstruct('PublicRepository', scope, id, props, {
      repositoryName: optional(STRING),
      catalogData: optional(struct({
        description: optional(STRING),
        aboutText: optional(STRING),
        usageText: optional(STRING),
        architectures: optional(listOf(instanceOf(PublicArchitecture))),
        operatingSystems: optional(listOf(instanceOf(PublicOperatingSystem))),
      })),
      removalPolicy: optional(oneOf(RemovalPolicy)),
    });
    super(scope, id, { physicalName: props.repositoryName });
    checkPhysicalNames(this);
    const problems = new Problems(subjectOf('PublicRepository', scope, id));

    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      Annotations.of(this).addWarningV2('cdk-ecr-platform:publicRepositoryRegion',
        'ECR Public exists only in us-east-1 and this stack has no concrete region: deploy it to us-east-1 (set env.region) or the deployment fails.');
    } else if (region !== 'us-east-1') {
      problems.add(`the stack's region is '${region}', but ECR Public exists only in us-east-1: put public repositories in a us-east-1 stack`);
    }

    checkRemovalPolicy(problems, props.removalPolicy);
    const catalog = props.catalogData;
    const values = {
      name: props.repositoryName,
      description: catalog?.description,
      aboutText: catalog?.aboutText,
      usageText: catalog?.usageText,
      architectures: catalog?.architectures?.map((a) => a.label),
      operatingSystems: catalog?.operatingSystems?.map((o) => o.label),
    };
    checkNowAndAtSynth(this, problems, values, (p, v) => {
      checkRepositoryName(p, v.name, 205);
      checkLength(p, 'catalogData.description', v.description, 1024);
      checkLength(p, 'catalogData.aboutText', v.aboutText, MAX_PUBLIC_CATALOG_TEXT);
      checkLength(p, 'catalogData.usageText', v.usageText, MAX_PUBLIC_CATALOG_TEXT);
      checkLabels(p, 'catalogData.architectures', v.architectures);
      checkLabels(p, 'catalogData.operatingSystems', v.operatingSystems);
    });
    problems.throwIfAny();

    this.cfnRepository = new ecr.CfnPublicRepository(this, 'Resource', {
      repositoryName: this.physicalName,
      repositoryCatalogData: catalog ? {
        RepositoryDescription: catalog.description,
        AboutText: catalog.aboutText,
        UsageText: catalog.usageText,
        Architectures: catalog.architectures?.map((a) => a.label),
        OperatingSystems: catalog.operatingSystems?.map((o) => o.label),
      } : undefined,
    });
    this.cfnRepository.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);

    this.repositoryName = this.getResourceNameAttribute(this.cfnRepository.ref);
    this.repositoryArn = this.getResourceArnAttribute(this.cfnRepository.attrArn, {
      service: 'ecr-public',
      region: '',
      resource: 'repository',
      resourceName: this.physicalName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets a principal push images. ECR Public authenticates pushes with
   * `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken`,
   * which only exist at account level: cdk-nag's AwsSolutions-IAM5 reports
   * that `*` on the grantee's policy as `AwsSolutions-IAM5[Resource::*]`;
   * acknowledge it on the grantee with `Validations.of(role).acknowledge(...)`.
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    guard(`PublicRepository.grantPush '${this.node.path}'`, { grantee: [grantee, OBJECT] });
    const grant = iam.Grant.addToPrincipal({ grantee, actions: PUBLIC_ACTIONS_PUSH, resourceArns: [this.repositoryArn] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'],
      resourceArns: ['*'],
    });
    return grant;
  }

  /**
   * Adds a statement to the repository policy (who may push or manage it;
   * pulling from ECR Public needs no permission). An `Allow` with the `*`
   * principal and no account or organization condition is refused.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    guard(`PublicRepository.addToResourcePolicy '${this.node.path}'`, { statement: [statement, instanceOf(iam.PolicyStatement)] });
    this.policy = addToRepositoryPolicy(`PublicRepository '${this.node.path}'`, this, this.policy, (document) => {
      this.cfnRepository.repositoryPolicyText = document;
      return document;
    }, statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

function checkLength(problems: Problems, what: string, value: string | undefined, max: number): void {
  if (isConcrete(value) && value.length > max) {
    problems.add(`${what} has ${value.length} characters: ECR Public takes at most ${max}`);
  }
}

function checkLabels(problems: Problems, what: string, labels: string[] | undefined): void {
  if (!labels) return;
  if (labels.length > 50) problems.add(`${what} has ${labels.length} entries: at most 50`);
  for (const l of labels.filter(isConcrete)) {
    if (l.length < 1 || l.length > 50) problems.add(`${what} entry '${l}' must have 1 to 50 characters`);
  }
  if (new Set(labels).size !== labels.length) problems.add(`${what} lists the same entry twice`);
}

