// aws_iam_policy_document, rendered as the real provider renders it, so that tests can assert on the
// exact JSON Terraform hands to KMS, IAM and Organizations. The rules, from the provider's
// internal/service/iam (data_source_policy_document.go, policy_model.go):
// - Version defaults to 2012-10-17, Effect to Allow; empty fields are omitted; `&{` becomes `${`;
// - a set of one string (actions, resources, identifiers) renders as a string, more as a list sorted
//   in reverse order;
// - principals render as {type: identifiers}, a lone {"*": "*"} as "*"; conditions as
//   {test: {variable: values}}, one value as a string; keys in sorted order (Go's maps);
// - statements with a Sid replace earlier ones with the same Sid (source, then own, then override documents);
// - `json` is indented by two spaces, `minified_json` compact, both with Go's HTML escaping;
// - the id is the CRC-32 of `json`.
import { crc32 } from 'node:zlib';
import { isObject, type Value } from './msgpack.js';

type Strings = string | string[];

interface Principal {
  type: string;
  identifiers: Strings;
}

interface Condition {
  test: string;
  variable: string;
  values: Strings;
}

interface Statement {
  sid: string;
  effect: string;
  actions?: Strings;
  notActions?: Strings;
  resources?: Strings;
  notResources?: Strings;
  principals?: Principal[];
  notPrincipals?: Principal[];
  conditions?: Condition[];
}

interface Doc {
  version: string;
  id: string;
  statements: Statement[];
}

export class PolicyDocumentError extends Error {}

function strings(v: Value | undefined): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** A set of strings as the provider writes it: one as a string, several in reverse sorted order. */
function decodeList(list: string[]): Strings {
  if (list.length === 1) return list[0]!;
  return [...list].sort().reverse();
}

function replaceVars(v: Strings, version: string): Strings {
  const one = (s: string) => {
    if (version === '2008-10-17' && s.includes('&{')) throw new PolicyDocumentError(`found &{ sequence in (${s}), which is not supported in document version 2008-10-17`);
    return s.split('&{').join('${');
  };
  return typeof v === 'string' ? one(v) : v.map(one);
}

function merge(into: Doc, doc: Doc): void {
  if (doc.id) into.id = doc.id;
  if (doc.version > into.version) into.version = doc.version;
  for (const s of doc.statements) {
    const i = s.sid ? into.statements.findIndex((e) => e.sid === s.sid) : -1;
    if (i >= 0) into.statements[i] = s;
    else into.statements.push(s);
  }
}

function fromConfig(config: { [k: string]: Value }): Doc {
  const version = typeof config.version === 'string' ? config.version : '2012-10-17';
  const doc: Doc = { version, id: typeof config.policy_id === 'string' ? config.policy_id : '', statements: [] };
  const sids = new Set<string>();
  for (const st of Array.isArray(config.statement) ? config.statement : []) {
    if (!isObject(st)) continue;
    const sid = typeof st.sid === 'string' ? st.sid : '';
    if (sid && sids.has(sid)) throw new PolicyDocumentError(`duplicate Sid (${sid}). Remove the Sid or ensure the Sid is unique.`);
    if (sid) sids.add(sid);
    const effect = typeof st.effect === 'string' ? st.effect : 'Allow';
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyDocumentError(`expected effect to be one of ["Allow" "Deny"], got ${effect}`);
    const s: Statement = { sid, effect };
    const list = (name: string) => strings(st[name]);
    if (list('actions').length) s.actions = decodeList(list('actions'));
    if (list('not_actions').length) s.notActions = decodeList(list('not_actions'));
    if (list('resources').length) s.resources = replaceVars(decodeList(list('resources')), version);
    if (list('not_resources').length) s.notResources = replaceVars(decodeList(list('not_resources')), version);
    const principals = (name: string): Principal[] | undefined => {
      const ps = Array.isArray(st[name]) ? (st[name] as Value[]).filter(isObject) : [];
      if (!ps.length) return undefined;
      return ps.map((p) => ({ type: String(p.type), identifiers: replaceVars(decodeList(strings(p.identifiers)), version) }));
    };
    s.principals = principals('principals');
    s.notPrincipals = principals('not_principals');
    const conds = Array.isArray(st.condition) ? st.condition.filter(isObject) : [];
    if (conds.length) {
      s.conditions = conds.map((c) => {
        const values = replaceVars(strings(c.values), version) as string[];
        return { test: String(c.test), variable: String(c.variable), values: values.length === 1 ? values[0]! : values };
      });
    }
    doc.statements.push(s);
  }
  return doc;
}

/** A JSON policy (source or override document) read as the provider's model reads it. */
function fromJson(text: string, what: string): Doc {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PolicyDocumentError(`writing IAM Policy Document: merging ${what}: ${(e as Error).message}`);
  }
  const o = (raw ?? {}) as { Version?: string; Id?: string; Statement?: unknown };
  const list = Array.isArray(o.Statement) ? o.Statement : o.Statement ? [o.Statement] : [];
  const asStrings = (v: unknown): Strings | undefined => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : String(v));
  const principals = (v: unknown): Principal[] | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [{ type: '*', identifiers: ['*'] }];
    return Object.entries(v as object).map(([type, ids]) => ({ type, identifiers: Array.isArray(ids) ? ids.map(String).sort() : String(ids) }));
  };
  const conditions = (v: unknown): Condition[] | undefined => {
    if (v === undefined) return undefined;
    const out: Condition[] = [];
    for (const [test, vars] of Object.entries(v as object)) {
      for (const [variable, values] of Object.entries(vars as object)) {
        out.push({ test, variable, values: typeof values === 'boolean' ? String(values) : Array.isArray(values) ? values.map(String) : [String(values)] });
      }
    }
    return out;
  };
  return {
    version: o.Version ?? '',
    id: o.Id ?? '',
    statements: list.map((s: { [k: string]: unknown }) => ({
      sid: typeof s.Sid === 'string' ? s.Sid : '',
      effect: typeof s.Effect === 'string' ? s.Effect : '',
      actions: asStrings(s.Action),
      notActions: asStrings(s.NotAction),
      resources: asStrings(s.Resource),
      notResources: asStrings(s.NotResource),
      principals: principals(s.Principal),
      notPrincipals: principals(s.NotPrincipal),
      conditions: conditions(s.Condition),
    })),
  };
}

function principalJson(ps: Principal[]): unknown {
  if (ps.length === 1 && ps[0]!.type === '*') {
    const ids = ps[0]!.identifiers;
    if (ids === '*' || (Array.isArray(ids) && ids.length === 1 && ids[0] === '*')) return '*';
  }
  const raw: { [type: string]: Strings } = {};
  for (const p of ps) {
    const prev = raw[p.type];
    if (Array.isArray(p.identifiers)) {
      const ids = [...p.identifiers].sort().reverse();
      raw[p.type] = prev === undefined ? ids : [...(typeof prev === 'string' ? [prev] : prev), ...ids];
    } else {
      raw[p.type] = prev === undefined ? p.identifiers : [...(typeof prev === 'string' ? [prev] : prev), p.identifiers];
    }
  }
  return sortKeys(raw);
}

function conditionJson(cs: Condition[]): unknown {
  const raw: { [test: string]: { [variable: string]: string[] } } = {};
  for (const c of cs) {
    const t = (raw[c.test] ??= {});
    t[c.variable] = [...(t[c.variable] ?? []), ...(typeof c.values === 'string' ? [c.values] : c.values)];
  }
  const out: { [test: string]: { [variable: string]: Strings } } = {};
  for (const [test, vars] of Object.entries(raw)) {
    out[test] = sortKeys(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]))) as { [variable: string]: Strings };
  }
  return sortKeys(out);
}

function sortKeys<T>(o: { [k: string]: T }): { [k: string]: T } {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function empty(v: Strings | undefined): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The document in Go's field order, empty fields omitted. */
function toJson(doc: Doc): unknown {
  const out: { [k: string]: unknown } = {};
  if (doc.version) out.Version = doc.version;
  if (doc.id) out.Id = doc.id;
  if (doc.statements.length) {
    out.Statement = doc.statements.map((s) => {
      const st: { [k: string]: unknown } = {};
      if (s.sid) st.Sid = s.sid;
      if (s.effect) st.Effect = s.effect;
      if (!empty(s.actions)) st.Action = s.actions;
      if (!empty(s.notActions)) st.NotAction = s.notActions;
      if (!empty(s.resources)) st.Resource = s.resources;
      if (!empty(s.notResources)) st.NotResource = s.notResources;
      if (s.principals?.length) st.Principal = principalJson(s.principals);
      if (s.notPrincipals?.length) st.NotPrincipal = principalJson(s.notPrincipals);
      if (s.conditions?.length) st.Condition = conditionJson(s.conditions);
      return st;
    });
  }
  return out;
}

/** Go's encoding/json escapes <, >, & and the JavaScript line separators. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface RenderedPolicy {
  json: string;
  minified_json: string;
  id: string;
}

export function renderPolicyDocument(config: Value): RenderedPolicy {
  const cfg = isObject(config) ? config : {};
  const merged: Doc = { version: '', id: '', statements: [] };
  const sourceSids = new Set<string>();
  strings(cfg.source_policy_documents).forEach((text, i) => {
    const doc = fromJson(text, `source document ${i}`);
    doc.statements.forEach((s, j) => {
      if (!s.sid) return;
      if (sourceSids.has(s.sid)) throw new PolicyDocumentError(`writing IAM Policy Document: merging source document ${i}: duplicate Sid (${s.sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`);
      sourceSids.add(s.sid);
    });
    merge(merged, doc);
  });
  merge(merged, fromConfig(cfg));
  strings(cfg.override_policy_documents).forEach((text, i) => merge(merged, fromJson(text, `override document ${i}`)));
  const value = toJson(merged);
  const json = goEscape(JSON.stringify(value, null, 2));
  return { json, minified_json: goEscape(JSON.stringify(value)), id: String(crc32(json)) };
}
