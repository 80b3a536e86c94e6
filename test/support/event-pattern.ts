// An EventBridge event pattern evaluator, written for the tests from AWS's documented matching rules
// (EventBridge User Guide: "Event patterns", "Content filtering in Amazon EventBridge event patterns",
// "Comparison operators for use in event patterns", "Arrays in Amazon EventBridge event patterns",
// "Matching events on null values and empty strings"). No npm package implements them (the registry
// has SDK clients and CDK constructs only); AWS's own matcher, aws/event-ruler, is Java.
// test/unit/event-pattern.test.ts checks it against the documentation's examples.
//
// Rules implemented:
// - a pattern is an object; every field it names must match (AND); a leaf is an array of matchers,
//   any of which may match (OR);
// - a field absent from the event matches only `{"exists": false}`; `exists` tests leaf values only;
// - an array in the event matches when any of its elements matches (the intersection is non-empty);
//   an array of objects is matched element by element, so fields under one object come from one
//   element;
// - `$or` (an array of patterns) at any level: one of them must match, alongside the sibling fields;
// - matchers: a string, number, boolean or null literal (numbers compare numerically); `prefix`,
//   `suffix` (a string, or `{"equals-ignore-case": s}`), `equals-ignore-case`, `wildcard` (`*` any
//   run of characters, `\*` a star, `\\` a backslash), `numeric` (one or two comparisons), `cidr`
//   (IPv4), `exists`, and `anything-but` (a literal, a list of literals, or `prefix`, `suffix`,
//   `equals-ignore-case`, `wildcard`, a string or a list). `anything-but` needs the field present.
// An unknown operator throws: a typo must not read as "never matches".

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export class PatternError extends Error {}

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The leaf values of an event field: one value, or the elements of an array (nested arrays flattened). */
function leaves(v: Json): Json[] {
  if (Array.isArray(v)) return v.flatMap(leaves);
  return isObj(v) ? [] : [v];
}

function caseFold(s: string): string {
  return s.toLowerCase();
}

function wildcardRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      if (next !== '*' && next !== '\\') throw new PatternError(`wildcard: bad escape in ${JSON.stringify(pattern)}`);
      re += next === '*' ? '\\*' : '\\\\';
    } else if (c === '*') {
      if (pattern[i + 1] === '*') throw new PatternError(`wildcard: consecutive stars in ${JSON.stringify(pattern)}`);
      re += '[\\s\\S]*';
    } else re += c.replace(/[.+?^${}()|[\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function ipv4(s: string): number | undefined {
  const m = s.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function stringOp(name: string, arg: Json, test: (value: string, operand: string, ignoreCase: boolean) => boolean): (v: Json) => boolean {
  if (typeof arg === 'string') return (v) => typeof v === 'string' && test(v, arg, false);
  if (isObj(arg) && Object.keys(arg).length === 1 && typeof arg['equals-ignore-case'] === 'string') {
    const operand = arg['equals-ignore-case'];
    return (v) => typeof v === 'string' && test(caseFold(v), caseFold(operand), true);
  }
  throw new PatternError(`${name}: expects a string or {"equals-ignore-case": string}, got ${JSON.stringify(arg)}`);
}

function strings(name: string, arg: Json): string[] {
  const list = Array.isArray(arg) ? arg : [arg];
  if (list.length === 0 || list.some((s) => typeof s !== 'string')) throw new PatternError(`${name}: expects a string or a list of strings`);
  return list as string[];
}

function literalEquals(p: Json, v: Json): boolean {
  if (typeof p === 'number') return typeof v === 'number' && p === v;
  return p === v;
}

/** One element of a leaf array, as a predicate on one leaf value. */
function matcher(m: Json): (v: Json) => boolean {
  if (!isObj(m)) {
    if (Array.isArray(m)) throw new PatternError(`a matcher cannot be an array: ${JSON.stringify(m)}`);
    return (v) => literalEquals(m, v);
  }
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new PatternError(`a matcher has one operator: ${JSON.stringify(m)}`);
  const op = keys[0]!;
  const arg = m[op]!;
  switch (op) {
    case 'prefix':
      return stringOp(op, arg, (v, s) => v.startsWith(s));
    case 'suffix':
      return stringOp(op, arg, (v, s) => v.endsWith(s));
    case 'equals-ignore-case': {
      if (typeof arg !== 'string') throw new PatternError('equals-ignore-case: expects a string');
      return (v) => typeof v === 'string' && caseFold(v) === caseFold(arg);
    }
    case 'wildcard': {
      if (typeof arg !== 'string') throw new PatternError('wildcard: expects a string');
      const re = wildcardRegex(arg);
      return (v) => typeof v === 'string' && re.test(v);
    }
    case 'numeric': {
      if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) throw new PatternError('numeric: expects [op, n] or [op, n, op, n]');
      const tests: ((x: number) => boolean)[] = [];
      for (let i = 0; i < arg.length; i += 2) {
        const [cmp, n] = [arg[i], arg[i + 1]];
        if (typeof n !== 'number') throw new PatternError('numeric: operand must be a number');
        const t = { '<': (x: number) => x < n, '<=': (x: number) => x <= n, '=': (x: number) => x === n, '>': (x: number) => x > n, '>=': (x: number) => x >= n }[String(cmp)];
        if (!t) throw new PatternError(`numeric: unknown comparison ${JSON.stringify(cmp)}`);
        tests.push(t);
      }
      return (v) => typeof v === 'number' && tests.every((t) => t(v));
    }
    case 'cidr': {
      const m2 = typeof arg === 'string' ? arg.match(/^(.+)\/(\d{1,2})$/) : null;
      const base = m2 ? ipv4(m2[1]!) : undefined;
      const bits = m2 ? Number(m2[2]) : NaN;
      if (base === undefined || !(bits >= 0 && bits <= 32)) throw new PatternError(`cidr: expects an IPv4 CIDR, got ${JSON.stringify(arg)}`);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      return (v) => {
        const ip = typeof v === 'string' ? ipv4(v) : undefined;
        return ip !== undefined && (ip & mask) >>> 0 === (base & mask) >>> 0;
      };
    }
    case 'anything-but': {
      const excluded = anythingBut(arg);
      return (v) => !excluded(v);
    }
    case 'exists':
      throw new PatternError('exists is handled on the field, not on a value');
    default:
      throw new PatternError(`unknown operator ${JSON.stringify(op)}`);
  }
}

/** What an anything-but excludes, as a predicate. */
function anythingBut(arg: Json): (v: Json) => boolean {
  if (typeof arg === 'string' || typeof arg === 'number') return (v) => literalEquals(arg, v);
  if (Array.isArray(arg)) {
    if (arg.length === 0 || arg.some((a) => typeof a !== 'string' && typeof a !== 'number')) throw new PatternError('anything-but: a list holds strings or numbers only');
    return (v) => arg.some((a) => literalEquals(a, v));
  }
  if (isObj(arg) && Object.keys(arg).length === 1) {
    const [op] = Object.keys(arg) as [string];
    const list = strings(`anything-but ${op}`, arg[op]!);
    const str = (f: (v: string) => boolean) => (v: Json) => typeof v === 'string' && f(v);
    switch (op) {
      case 'prefix':
        return str((v) => list.some((s) => v.startsWith(s)));
      case 'suffix':
        return str((v) => list.some((s) => v.endsWith(s)));
      case 'equals-ignore-case':
        return str((v) => list.some((s) => caseFold(s) === caseFold(v)));
      case 'wildcard': {
        const res = list.map(wildcardRegex);
        return str((v) => res.some((re) => re.test(v)));
      }
    }
  }
  throw new PatternError(`anything-but: unsupported operand ${JSON.stringify(arg)}`);
}

function matchLeaf(rules: Json[], present: boolean, value: Json | undefined): boolean {
  if (rules.length === 0) throw new PatternError('a leaf needs at least one matcher');
  const values = present ? leaves(value!) : [];
  return rules.some((r) => {
    if (isObj(r) && 'exists' in r) {
      if (Object.keys(r).length !== 1 || typeof r.exists !== 'boolean') throw new PatternError('exists: expects true or false');
      return r.exists ? values.length > 0 : !present;
    }
    const test = matcher(r);
    return values.some(test);
  });
}

function matchObject(pattern: Obj, event: Obj): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2 || sub.some((p) => !isObj(p))) throw new PatternError('$or: expects a list of at least two patterns');
      if (!(sub as Obj[]).some((p) => matchObject(p, event))) return false;
      continue;
    }
    const present = Object.prototype.hasOwnProperty.call(event, key);
    const value = event[key];
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, present, value)) return false;
    } else if (isObj(sub)) {
      if (!present) {
        // Only an exists:false deeper down can match an absent object.
        if (!matchObject(sub, {})) return false;
        continue;
      }
      const candidates = Array.isArray(value) ? value.filter(isObj) : isObj(value!) ? [value] : [];
      if (candidates.length === 0) {
        if (!matchObject(sub, {})) return false;
      } else if (!candidates.some((c) => matchObject(sub, c))) return false;
    } else {
      throw new PatternError(`field ${JSON.stringify(key)}: a pattern value is an object or an array, got ${JSON.stringify(sub)}`);
    }
  }
  return true;
}

/** Whether `event` matches `pattern` (an object, or its JSON text as Terraform renders it). */
export function matches(pattern: Json | string, event: Json): boolean {
  const p = typeof pattern === 'string' ? (JSON.parse(pattern) as Json) : pattern;
  if (!isObj(p)) throw new PatternError('a pattern is a JSON object');
  if (!isObj(event)) throw new PatternError('an event is a JSON object');
  return matchObject(p, event);
}
