// What the Lambda bundle leaves out of, or writes more compactly than, the AWS SDK it bundles, beyond the
// package aliases in scripts/build.mjs. Every trim either keeps the SDK's behaviour exactly (the error
// classes, the package version, the partitions table) or removes code the signer in Lambda cannot reach;
// each says why, and
// test/build/trims.test.ts holds it to that. A trim whose input changed shape fails the build: a newer SDK
// is then looked at again, never trimmed blindly.
import { readFileSync } from 'node:fs';

/**
 * The SDK's generated error classes (models/errors.js of each client) are one 13-line class per service
 * error: 83 classes, 22 KB minified, of which the signer can meet a handful. They are registered for the
 * deserializer, so they stay, each made by one factory with the same name, static shapeId, prototype
 * chain, fault, retryable marker and own properties in the same order. Throws on any class that does not
 * have exactly the generated shape.
 */
export function compactErrorClasses(source, file = 'errors.js') {
  const lines = source.split('\n');
  const header = lines[0] ?? '';
  const base = /^import \{ (\w+) as __BaseException \} from "(\.\/\w+)";$/.exec(header);
  if (!base) throw new Error(`${file}: unexpected first line ${JSON.stringify(header)}`);
  const classes = [];
  let namespace;
  let at = 1;
  const fail = (why) => {
    throw new Error(`${file}:${at + 1}: ${why}: ${JSON.stringify(lines[at])} (scripts/lambda-trims.mjs)`);
  };
  const expect = (pattern, why) => {
    const match = pattern.exec(lines[at] ?? '');
    if (!match) fail(why);
    at += 1;
    return match;
  };
  while (at < lines.length && lines[at] !== '') {
    const [, name] = expect(/^export class (\w+) extends __BaseException \{$/, 'not a generated error class');
    const [, ns] = expect(new RegExp(`^    static shapeId = "([\\w.]+)#${name}";$`), 'shapeId');
    if (namespace !== undefined && ns !== namespace) fail('a second namespace');
    namespace = ns;
    expect(new RegExp(`^    name = "${name}";$`), 'name field');
    const [, fault] = expect(/^    \$fault = "(client|server)";$/, '$fault field');
    let retryable;
    if (/^    \$retryable = /.test(lines[at] ?? '')) {
      retryable = expect(/^    \$retryable = (\{\}|\{ throttling: (?:true|false) \});$/, '$retryable field')[1];
    }
    const fields = [];
    while (/^    \w+;$/.test(lines[at] ?? '')) fields.push(expect(/^    (\w+);$/, 'field')[1]);
    expect(/^    constructor\(opts\) \{$/, 'constructor');
    expect(/^        super\(\{$/, 'super call');
    expect(new RegExp(`^            name: "${name}",$`), 'super name');
    expect(new RegExp(`^            \\$fault: "${fault}",$`), 'super $fault');
    expect(/^            \.\.\.opts,$/, 'super opts');
    expect(/^        \}\);$/, 'super end');
    expect(new RegExp(`^        Object\\.setPrototypeOf\\(this, ${name}\\.prototype\\);$`), 'setPrototypeOf');
    for (const field of fields) expect(new RegExp(`^        this\\.${field} = opts\\.${field};$`), `assignment of ${field}`);
    expect(/^    \}$/, 'constructor end');
    expect(/^\}$/, 'class end');
    classes.push({ name, fault, retryable, fields });
  }
  if (lines.slice(at).some((line) => line !== '')) fail('text after the classes');
  if (classes.length === 0) fail('no classes');

  // The factory's steps follow the generated constructor: after super(), the class fields (name, $fault,
  // $retryable), then the prototype, then the fields from opts. (The generated class also defines its
  // fields as undefined before the prototype: nothing can see that, since nothing runs in between.)
  const out = [
    header,
    'const __error = (name, fault = "client", fields = [], retryable) => {',
    '  const E = class extends __BaseException {',
    '    constructor(opts) {',
    '      super({ name, $fault: fault, ...opts });',
    '      this.name = name;',
    '      this.$fault = fault;',
    '      if (retryable) this.$retryable = retryable();',
    '      Object.setPrototypeOf(this, E.prototype);',
    '      for (const f of fields) this[f] = opts[f];',
    '    }',
    '  };',
    '  Object.defineProperty(E, "name", { value: name });',
    `  E.shapeId = ${JSON.stringify(`${namespace}#`)} + name;`,
    '  return E;',
    '};',
  ];
  for (const c of classes) {
    const args = [JSON.stringify(c.name), JSON.stringify(c.fault), JSON.stringify(c.fields)];
    if (c.retryable !== undefined) args.push(`() => (${c.retryable})`);
    // Trailing arguments equal to the defaults are left out.
    while (args.length > 1 && (args.at(-1) === '[]' || (args.length === 2 && args[1] === '"client"'))) args.pop();
    out.push(`export const ${c.name} = __error(${args.join(', ')});`);
  }
  return `${out.join('\n')}\n`;
}

/** The client's package.json is read for one field, its version (the User-Agent header). */
export function versionOnly(source) {
  const { version } = JSON.parse(source);
  if (typeof version !== 'string') throw new Error('package.json without a version');
  return JSON.stringify({ version });
}

/**
 * The AWS partitions table (regions per partition, for endpoint rules) with the regions' descriptions
 * ("Africa (Cape Town)"): the rules read a partition's outputs and never a description.
 */
export function partitionsWithoutDescriptions(source) {
  const match = /^export const partitionsInfo = (\{[\s\S]*\});\s*$/.exec(source);
  if (!match) throw new Error('partitions.js: not the generated `export const partitionsInfo = {...};` (scripts/lambda-trims.mjs)');
  const info = JSON.parse(match[1]);
  for (const partition of info.partitions) {
    for (const [region, data] of Object.entries(partition.regions)) {
      const { description, ...rest } = data;
      if (typeof description !== 'string') throw new Error(`partitions.js: region ${region} without a description`);
      partition.regions[region] = rest;
    }
  }
  return `export const partitionsInfo = ${JSON.stringify(info)};\n`;
}

/** A filter for a file inside node_modules; `file` is a path whose dots are literal (it may hold an alternation). */
const under = (file) => new RegExp(`[\\\\/]node_modules[\\\\/]${file.replaceAll('.', '\\.').replaceAll('/', '[\\\\/]')}$`);
const inClient = (file) => under(`@aws-sdk/client-(?:kms|dynamodb)/${file}`);

/** Module files rewritten: name, the files, and the rewrite (source, path) => [contents, loader]. */
export const REWRITES = {
  errors: { filter: inClient('dist-es/models/errors.js'), rewrite: (source, path) => [compactErrorClasses(source, path), 'js'] },
  package: { filter: inClient('package.json'), rewrite: (source) => [versionOnly(source), 'json'] },
  partitions: {
    filter: under('@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js'),
    rewrite: (source) => [partitionsWithoutDescriptions(source), 'js'],
  },
};

/** Module files replaced whole (path inside node_modules: stand-in), each for the reason beside it. */
export const REPLACED_FILES = {
  // Node's crypto always hashes SHA-256: Sha256Node falls back to this pure-JS hash only without it.
  '@smithy/core/dist-es/submodules/checksum/sha256/Sha256Js.js': './lambda/src/trims/no-sha256-js.ts',
  // Lambda has no instance metadata service: the region comes from AWS_REGION, which Lambda sets.
  '@smithy/core/dist-es/submodules/config/config-resolver/regionConfig/getInstanceMetadataRegion.js': './lambda/src/trims/no-instance-metadata.ts',
  // Lambda gives a function no ~/.aws files; its environment configures it (see the stand-in).
  '@smithy/core/dist-es/submodules/config/shared-ini-file-loader/loadSharedConfigFiles.js': './lambda/src/trims/no-shared-config-files.ts',
  // The signer's clients pin retryMode "standard" (lambda/src/index.ts): adaptive mode is never chosen.
  '@smithy/core/dist-es/submodules/retry/util-retry/AdaptiveRetryStrategy.js': './lambda/src/trims/no-adaptive-retry.ts',
  // Bucket-name rules the endpoint middleware applies to S3 clients only; the signer has none.
  '@smithy/core/dist-es/submodules/endpoints/middleware-endpoint/service-customizations/index.js': './lambda/src/trims/no-s3-endpoint-params.ts',
  // Sent by endpoint discovery alone, which the bundle leaves out (no-endpoint-discovery.ts).
  '@aws-sdk/client-dynamodb/dist-es/commands/DescribeEndpointsCommand.js': './lambda/src/trims/no-describe-endpoints.ts',
  // Formats event-stream message headers for signing; no operation the signer calls streams events.
  '@smithy/signature-v4/dist-es/HeaderFormatter.js': './lambda/src/trims/no-event-header-formatter.ts',
  // Trace ids for the recursion-detection middleware: the runtime's own store, as the package returns it.
  '@aws/lambda-invoke-store/dist-es/invoke-store.js': './lambda/src/trims/no-invoke-store.ts',
};

/**
 * The esbuild plugin applying the trims above, all of them or those named. A trim that matched no file
 * means the SDK's files moved: the build stops rather than ship untrimmed or half-trimmed code.
 */
export const lambdaTrims = (root, names = [...Object.keys(REWRITES), ...Object.keys(REPLACED_FILES)]) => ({
  name: 'lambda-trims',
  setup(b) {
    const unused = new Set(names);
    for (const name of names) {
      const rewrite = REWRITES[name];
      const replacement = REPLACED_FILES[name];
      if (!rewrite && !replacement) throw new Error(`lambda-trims: no trim named ${name}`);
      b.onLoad({ filter: rewrite ? rewrite.filter : under(name) }, ({ path }) => {
        unused.delete(name);
        if (rewrite) {
          const [contents, loader] = rewrite.rewrite(readFileSync(path, 'utf8'), path);
          return { contents, loader };
        }
        return { contents: readFileSync(`${root}/${replacement}`, 'utf8'), loader: 'ts', resolveDir: root };
      });
    }
    b.onEnd((result) =>
      result.errors.length === 0 && unused.size > 0
        ? { errors: [{ text: `lambda-trims: nothing matched ${[...unused].join(', ')} (scripts/lambda-trims.mjs)` }] }
        : undefined,
    );
  },
});
