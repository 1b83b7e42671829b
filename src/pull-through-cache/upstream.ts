import { Aws, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { guard, STRING } from '../internal/input';
import { isConcrete, Problems } from '../internal/problems';
import { RegionOptions } from '../region-options';
import { RegistryRef } from '../registry/app-registries';

/**
 * How an upstream registry authenticates ECR.
 */
export enum UpstreamAuthentication {
  /** No authentication: public registries (ECR Public, Kubernetes, Quay). */
  NONE = 'NONE',
  /** A Secrets Manager secret named `ecr-pullthroughcache/...` with `username` and `accessToken`. */
  SECRET = 'SECRET',
  /** An IAM role that ECR assumes (private Amazon ECR upstreams in another account). */
  IAM_ROLE = 'IAM_ROLE',
}
Object.freeze(UpstreamAuthentication);

/** Azure Container Registry names: 5 to 50 letters and digits. */
const AZURE_REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;

/**
 * A registry that a pull-through cache rule caches images from. Each static
 * factory is one upstream that Amazon ECR supports; the upstream decides the
 * URL, the `UpstreamRegistry` value CloudFormation receives and how ECR
 * authenticates.
 */
export class UpstreamRegistry {
  /** Amazon ECR Public (`public.ecr.aws`), no credentials. */
  public static ecrPublic(): UpstreamRegistry {
    return new UpstreamRegistry('ecr-public', 'public.ecr.aws', UpstreamAuthentication.NONE);
  }

  /** The Kubernetes container image registry (`registry.k8s.io`), no credentials. */
  public static kubernetes(): UpstreamRegistry {
    return new UpstreamRegistry('k8s', 'registry.k8s.io', UpstreamAuthentication.NONE);
  }

  /** Quay (`quay.io`), no credentials. */
  public static quay(): UpstreamRegistry {
    return new UpstreamRegistry('quay', 'quay.io', UpstreamAuthentication.NONE);
  }

  /** Docker Hub (`registry-1.docker.io`), with a credential secret. */
  public static dockerHub(): UpstreamRegistry {
    return new UpstreamRegistry('docker-hub', 'registry-1.docker.io', UpstreamAuthentication.SECRET);
  }

  /** GitHub Container Registry (`ghcr.io`), with a credential secret. */
  public static githubContainerRegistry(): UpstreamRegistry {
    return new UpstreamRegistry('github-container-registry', 'ghcr.io', UpstreamAuthentication.SECRET);
  }

  /** GitLab Container Registry, SaaS only (`registry.gitlab.com`), with a credential secret. */
  public static gitlabContainerRegistry(): UpstreamRegistry {
    return new UpstreamRegistry('gitlab-container-registry', 'registry.gitlab.com', UpstreamAuthentication.SECRET);
  }

  /**
   * A Microsoft Azure Container Registry (`NAME.azurecr.io`), with a
   * credential secret.
   *
   * @param registryName the registry's name: 5 to 50 letters and digits
   */
  public static azureContainerRegistry(registryName: string): UpstreamRegistry {
    const problems = new Problems('UpstreamRegistry.azureContainerRegistry');
    guard(problems.subject, { registryName: [registryName, STRING] });
    if (isConcrete(registryName) && !AZURE_REGISTRY_NAME.test(registryName)) {
      problems.add(`registryName '${registryName}' is not an Azure Container Registry name: it must be 5 to 50 letters and digits (the NAME of NAME.azurecr.io)`);
    }
    problems.throwIfAny();
    const name = isConcrete(registryName) ? registryName.toLowerCase() : registryName;
    return new UpstreamRegistry('azure-container-registry', `${name}.azurecr.io`, UpstreamAuthentication.SECRET);
  }

  /** The Chainguard registry (`cgr.dev`), with a credential secret. */
  public static chainguard(): UpstreamRegistry {
    return new UpstreamRegistry('chainguard', 'cgr.dev', UpstreamAuthentication.SECRET);
  }

  /**
   * A private Amazon ECR registry in another account or region
   * (`ACCOUNT.dkr.ecr.REGION.amazonaws.com`, with the domain of the region's
   * partition). ECR assumes an IAM role to pull from another account; the
   * upstream registry must allow the cache's account to pull.
   *
   * @param account the upstream registry's account
   * @param region the upstream registry's region, checked against aws-cdk-lib's region list
   * @param options `allowUnknownRegion` for a region newer than your aws-cdk-lib
   */
  public static ecr(account: string, region: string, options: RegionOptions = {}): UpstreamRegistry {
    const problems = new Problems('UpstreamRegistry.ecr');
    guard(problems.subject, { account: [account, STRING], region: [region, STRING] });
    RegistryRef.check(problems, { account: 'account', region: 'region' }, account, region, options);
    problems.throwIfAny();
    const suffix = isConcrete(region) ? RegionInfo.get(region).domainSuffix ?? 'amazonaws.com' : Aws.URL_SUFFIX;
    return new UpstreamRegistry('ecr', `${account}.dkr.ecr.${region}.${suffix}`, UpstreamAuthentication.IAM_ROLE, new RegistryRef(account, region));
  }

  /** The account of a private Amazon ECR upstream. */
  public readonly account?: string;
  /** The region of a private Amazon ECR upstream. */
  public readonly region?: string;
  /** The registry of a private Amazon ECR upstream. @internal */
  public readonly _ref?: RegistryRef;

  private constructor(
    /** The `UpstreamRegistry` value CloudFormation receives, such as `docker-hub`. */
    public readonly registryType: string,
    /** The upstream registry's URL, such as `registry-1.docker.io`. */
    public readonly url: string,
    /** How ECR authenticates to the upstream registry. */
    public readonly authentication: UpstreamAuthentication,
    ref?: RegistryRef,
  ) {
    this._ref = ref;
    this.account = ref?.account;
    this.region = ref?.region;
  }

  /** Whether the upstream is a private Amazon ECR registry. */
  public get isEcr(): boolean {
    return this.registryType === 'ecr';
  }

  /** A readable name for messages. */
  public toString(): string {
    return Token.isUnresolved(this.url) ? this.registryType : `${this.registryType} (${this.url})`;
  }
}
