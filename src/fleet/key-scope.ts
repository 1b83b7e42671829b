/**
 * Which customer managed key encrypts the fleet's repositories that do not
 * choose their own encryption.
 *
 * ECR mounts an image layer from another repository of the registry (blob
 * mounting) only when both repositories have the same encryption type and
 * key: with a key per shard, layers are shared within a shard only.
 */
export enum FleetKeyScope {
  /** One key per shard stack (the default): a key's loss or misuse reaches one shard's repositories; layers are mounted within a shard only. */
  SHARD = 'SHARD',
  /**
   * One key for the whole fleet, in the fleet's registry stack, shared by
   * every shard: layers are mounted across the fleet, and moving a
   * repository between shards needs no key bookkeeping, but the one key
   * protects every repository.
   */
  REGISTRY = 'REGISTRY',
}
Object.freeze(FleetKeyScope);

/** The key holder number of the fleet's registry key in a placement's `keys` (shards are 1, 2, ...). @internal */
export const REGISTRY_KEY_HOLDER = 0;
