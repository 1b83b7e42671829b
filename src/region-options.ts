/**
 * How a region name given to the library is checked.
 */
export interface RegionOptions {
  /**
   * Accept a well-formed region name that the installed aws-cdk-lib does not
   * know yet (a region newer than your aws-cdk-lib). Region names are checked
   * against aws-cdk-lib's region list (`RegionInfo.regions`), so upgrading
   * aws-cdk-lib is the other way to use a new region.
   *
   * @default false
   */
  readonly allowUnknownRegion?: boolean;
}
