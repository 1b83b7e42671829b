import { UpstreamRegistry } from './upstream';

/** The upstreams without a parameter, by URL. */
const FIXED_UPSTREAMS: ReadonlyArray<() => UpstreamRegistry> = [
  UpstreamRegistry.ecrPublic, UpstreamRegistry.kubernetes, UpstreamRegistry.quay, UpstreamRegistry.dockerHub,
  UpstreamRegistry.githubContainerRegistry, UpstreamRegistry.gitlabContainerRegistry, UpstreamRegistry.chainguard,
];

/**
 * The upstream registry an upstream URL names (as ECR's
 * `DescribePullThroughCacheRules` returns it), or why it names none.
 *
 * @internal
 */
export function upstreamRegistryOfUrl(url: string): UpstreamRegistry | string {
  for (const make of FIXED_UPSTREAMS) {
    const upstream = make();
    if (upstream.url === url) return upstream;
  }
  const azure = /^([a-zA-Z0-9]+)\.azurecr\.io$/.exec(url);
  if (azure) {
    try {
      return UpstreamRegistry.azureContainerRegistry(azure[1]);
    } catch (error) {
      return (error as Error).message;
    }
  }
  const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?|[a-z0-9.-]+)$/.exec(url);
  if (ecr) {
    try {
      const upstream = UpstreamRegistry.ecr(ecr[1], ecr[2], { allowUnknownRegion: true });
      return upstream.url === url ? upstream : `'${url}' is not the URL of the ECR registry ${ecr[1]} in ${ecr[2]} (${upstream.url})`;
    } catch (error) {
      return (error as Error).message;
    }
  }
  return `'${url}' is the URL of no upstream registry ECR's pull-through cache supports (${FIXED_UPSTREAMS.map((m) => m().url).join(', ')}, NAME.azurecr.io, ACCOUNT.dkr.ecr.REGION.amazonaws.com)`;
}
