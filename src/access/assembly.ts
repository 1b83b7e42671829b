/*
 * Reading a synthesized cloud assembly (cdk.out) for the access report: the stacks of
 * manifest.json, of nested assemblies (stages) and nested stacks, each with its template
 * and environment, and the values CloudFormation's intrinsic functions give where they
 * can be known before deployment (pseudo parameters of a stack with a concrete
 * environment, Ref and Fn::GetAtt of the app's repositories and IAM principals, Fn::Join,
 * Fn::Sub, Fn::ImportValue through the assembly's exports).
 */
import * as path from 'path';

/** A problem with the input: not a cloud assembly, or a template that cannot be read. @internal */
export class AccessInputError extends Error {}

/** One stack of the assembly. @internal */
export interface StackTemplate {
  /** The artifact's display name (Stage/Stack), or the nested stack's path. */
  readonly name: string;
  /** The stack's CloudFormation name. */
  readonly stackName: string;
  /** The account and region; `unknown-account` and `unknown-region` (as the CDK names them) for an environment-agnostic stack. */
  readonly account: string;
  readonly region: string;
  readonly template: any;
  /** Construct paths by logical ID, from the artifact's metadata (without `/Resource`). */
  readonly paths: ReadonlyMap<string, string>;
}

/** Reads a file of the assembly; throws when it cannot. @internal */
export type ReadFile = (file: string) => string;

function parseJson(readFile: ReadFile, file: string, what: string): any {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new AccessInputError(`cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AccessInputError(`${file}: ${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every stack of the cloud assembly in a folder, nested assemblies and nested stacks included, in manifest order. @internal */
export function readStacks(directory: string, readFile: ReadFile): StackTemplate[] {
  const manifestFile = path.join(directory, 'manifest.json');
  let text: string;
  try {
    text = readFile(manifestFile);
  } catch {
    throw new AccessInputError(`${directory} is not a cloud assembly: it has no manifest.json (synthesize the app with \`cdk synth\`, which writes cdk.out)`);
  }
  let manifest: any;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new AccessInputError(`${manifestFile}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (manifest === null || typeof manifest !== 'object' || typeof manifest.artifacts !== 'object' || manifest.artifacts === null) {
    throw new AccessInputError(`${manifestFile} is not a cloud assembly manifest: it has no "artifacts"`);
  }
  const stacks: StackTemplate[] = [];
  const assetFiles = assetFilesOf(directory, manifest, readFile);
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts)) {
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      stacks.push(...readStacks(path.join(directory, artifact.properties.directoryName), readFile));
    } else if (artifact?.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (typeof templateFile !== 'string') throw new AccessInputError(`${manifestFile}: stack ${id} names no templateFile`);
      const template = parseJson(readFile, path.join(directory, templateFile), `the template of stack ${id}`);
      if (template === null || typeof template !== 'object' || Array.isArray(template)) {
        throw new AccessInputError(`${path.join(directory, templateFile)}: the template of stack ${id} is not a JSON object`);
      }
      const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(artifact.environment ?? ''));
      const account = env && /^\d{12}$/.test(env[1]) ? env[1] : 'unknown-account';
      const region = env ? env[2] : 'unknown-region';
      const paths = constructPaths(directory, artifact, readFile);
      const stack: StackTemplate = {
        name: String(artifact.displayName ?? id), stackName: String(artifact.properties?.stackName ?? id), account, region, template, paths,
      };
      stacks.push(stack, ...nestedStacks(directory, stack, readFile, assetFiles));
    }
  }
  return stacks;
}

/** Construct paths by logical ID: the artifact's `aws:cdk:logicalId` metadata (inline, or its additional metadata file). */
function constructPaths(directory: string, artifact: any, readFile: ReadFile): Map<string, string> {
  let metadata: any = artifact.metadata;
  if (typeof artifact.additionalMetadataFile === 'string') {
    try {
      metadata = { ...(metadata ?? {}), ...JSON.parse(readFile(path.join(directory, artifact.additionalMetadataFile))) };
    } catch {
      // labels fall back to stack and logical ID
    }
  }
  const out = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries<any>(metadata ?? {})) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') out.set(entry.data, constructPath.replace(/^\//, '').replace(/\/(Resource|Default)$/, ''));
    }
  }
  return out;
}

/** The file assets of the assembly's asset manifests, by asset hash: where nested stack templates are. */
function assetFilesOf(directory: string, manifest: any, readFile: ReadFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const artifact of Object.values<any>(manifest.artifacts)) {
    if (artifact?.type !== 'cdk:asset-manifest' || typeof artifact.properties?.file !== 'string') continue;
    let assets: any;
    try {
      assets = JSON.parse(readFile(path.join(directory, artifact.properties.file)));
    } catch {
      continue;
    }
    for (const [hash, asset] of Object.entries<any>(assets?.files ?? {})) {
      if (typeof asset?.source?.path === 'string') out.set(hash, asset.source.path);
    }
  }
  return out;
}

/** The nested stacks of a stack whose templates the assembly holds (`aws:asset:path` metadata, or the asset its TemplateURL names). */
function nestedStacks(directory: string, parent: StackTemplate, readFile: ReadFile, assetFiles: ReadonlyMap<string, string>): StackTemplate[] {
  const out: StackTemplate[] = [];
  for (const [logicalId, resource] of Object.entries<any>(parent.template.Resources ?? {})) {
    const url = resource?.Type === 'AWS::CloudFormation::Stack' ? JSON.stringify(resource.Properties?.TemplateURL ?? '') : '';
    const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
    const file = resource?.Metadata?.['aws:asset:path'] ?? (hash !== undefined ? assetFiles.get(hash) : undefined);
    if (resource?.Type !== 'AWS::CloudFormation::Stack' || typeof file !== 'string' || !file.endsWith('.json')) continue;
    const template = parseJson(readFile, path.join(directory, file), `the template of nested stack ${parent.name}/${logicalId}`);
    const nested: StackTemplate = {
      name: `${parent.name}/${logicalId}`, stackName: `${parent.stackName}-${logicalId}`, account: parent.account, region: parent.region, template, paths: parent.paths,
    };
    out.push(nested, ...nestedStacks(directory, nested, readFile, assetFiles));
  }
  return out;
}

/** The partition of a region. @internal */
export function partitionOf(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** What a resolved value is when it cannot be known: why. @internal */
export class Unresolved {
  constructor(public readonly reason: string) {}
}

/** The export values of the assembly, by export name: resolved in their own stack. @internal */
export type Exports = ReadonlyMap<string, { readonly stack: StackTemplate; readonly value: unknown }>;

/** The exports of every stack (Outputs with Export.Name). @internal */
export function exportsOf(stacks: readonly StackTemplate[]): Map<string, { stack: StackTemplate; value: unknown }> {
  const out = new Map<string, { stack: StackTemplate; value: unknown }>();
  for (const stack of stacks) {
    for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
      const name = output?.Export?.Name;
      if (typeof name === 'string') out.set(name, { stack, value: output.Value });
    }
  }
  return out;
}

/** The physical name and ARN a resource's Ref and Fn::GetAtt Arn give, when the report knows them. @internal */
export interface NamedResource {
  readonly ref?: string;
  readonly arn?: string;
}

/**
 * Resolves intrinsic functions in one stack. `named` gives the Ref and Arn of the
 * resources it knows (repositories, roles, users, groups).
 *
 * @internal
 */
export class StackResolver {
  private readonly resolving = new Set<string>();

  constructor(
    public readonly stack: StackTemplate,
    private readonly named: (stack: StackTemplate, logicalId: string) => NamedResource | undefined,
    private readonly exports: Exports,
    private readonly resolverOf: (stack: StackTemplate) => StackResolver,
  ) {}

  /** A string value, or why it cannot be known. */
  public string(value: unknown): string | Unresolved {
    const v = this.value(value);
    if (v instanceof Unresolved) return v;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return new Unresolved(`${JSON.stringify(value)} is not a string`);
  }

  /** A value with the intrinsic functions the report knows resolved. */
  public value(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const items = value.map((v) => this.value(v));
      return items.find((v) => v instanceof Unresolved) ?? items;
    }
    const keys = Object.keys(value);
    const o = value as Record<string, any>;
    if (keys.length === 1) {
      const [key] = keys;
      switch (key) {
        case 'Ref': return this.ref(String(o.Ref));
        case 'Fn::GetAtt': return this.getAtt(o[key]);
        case 'Fn::Join': return this.join(o[key]);
        case 'Fn::Sub': return this.sub(o[key]);
        case 'Fn::ImportValue': return this.importValue(o[key]);
        case 'Fn::Select': return this.select(o[key]);
        default:
          if (key.startsWith('Fn::')) return new Unresolved(`${key} is not resolved by the report`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = this.value(o[key]);
    return out;
  }

  private pseudo(name: string): string | Unresolved | undefined {
    switch (name) {
      case 'AWS::AccountId': return this.stack.account;
      case 'AWS::Region': return this.stack.region;
      case 'AWS::Partition': return partitionOf(this.stack.region);
      case 'AWS::URLSuffix': return this.stack.region?.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName': return this.stack.stackName;
      case 'AWS::NoValue': return new Unresolved('AWS::NoValue');
      default: return name.startsWith('AWS::') ? new Unresolved(`${name} is not known before deployment`) : undefined;
    }
  }

  private ref(name: string): unknown {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    const named = this.named(this.stack, name);
    if (named?.ref !== undefined) return named.ref;
    const parameter = this.stack.template.Parameters?.[name];
    if (parameter !== undefined) return new Unresolved(`parameter ${name} of ${this.stack.name} is only known at deployment`);
    return new Unresolved(`Ref ${name} of ${this.stack.name} is only known at deployment`);
  }

  private getAtt(args: unknown): unknown {
    const [logicalId, attribute] = Array.isArray(args) ? args : typeof args === 'string' ? args.split(/\.(.*)/s) : [];
    if (attribute === 'Arn') {
      const arn = this.named(this.stack, String(logicalId))?.arn;
      if (arn !== undefined) return arn;
    }
    return new Unresolved(`Fn::GetAtt ${String(logicalId)}.${String(attribute)} of ${this.stack.name} is only known at deployment`);
  }

  private join(args: unknown): unknown {
    if (!Array.isArray(args) || args.length !== 2) return new Unresolved('a malformed Fn::Join');
    const parts = this.value(args[1]);
    if (parts instanceof Unresolved) return parts;
    if (!Array.isArray(parts)) return new Unresolved('a malformed Fn::Join');
    const bad = parts.find((p) => typeof p !== 'string' && typeof p !== 'number');
    return bad === undefined ? parts.join(String(args[0])) : new Unresolved('Fn::Join of a value that is not a string');
  }

  private select(args: unknown): unknown {
    if (!Array.isArray(args) || args.length !== 2) return new Unresolved('a malformed Fn::Select');
    const list = this.value(args[1]);
    if (list instanceof Unresolved) return list;
    return Array.isArray(list) && Number.isInteger(Number(args[0])) && list[Number(args[0])] !== undefined ? list[Number(args[0])] : new Unresolved('a malformed Fn::Select');
  }

  private sub(args: unknown): unknown {
    const [text, variables] = Array.isArray(args) ? args : [args, {}];
    if (typeof text !== 'string') return new Unresolved('a malformed Fn::Sub');
    let missing: Unresolved | undefined;
    const result = text.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      let v: unknown;
      if (variables && typeof variables === 'object' && name in variables) v = this.value((variables as any)[name]);
      else if (name.includes('.')) v = this.getAtt(name.split(/\.(.*)/s));
      else v = this.ref(name);
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      missing ??= v instanceof Unresolved ? v : new Unresolved(`\${${name}} is not a string`);
      return whole;
    });
    return missing ?? result;
  }

  private importValue(name: unknown): unknown {
    const resolved = this.string(name);
    if (resolved instanceof Unresolved) return resolved;
    const exported = this.exports.get(resolved);
    if (exported === undefined) return new Unresolved(`Fn::ImportValue ${resolved}: no stack of the assembly exports it`);
    const key = `${exported.stack.name}\u0000${resolved}`;
    if (this.resolving.has(key)) return new Unresolved(`Fn::ImportValue ${resolved} refers to itself`);
    this.resolving.add(key);
    try {
      return this.resolverOf(exported.stack).value(exported.value);
    } finally {
      this.resolving.delete(key);
    }
  }
}
