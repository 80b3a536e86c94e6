// The Lambda bundle's trims of the AWS SDK (scripts/lambda-trims.mjs) keep what the SDK does: the
// compacted error classes and partitions table behave as the generated ones, every trim applies, and
// the committed bundle run as on a workstation is configured by its environment alone.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compactErrorClasses, lambdaTrims, REPLACED_FILES, REWRITES, versionOnly } from '../../scripts/lambda-trims.mjs';
import { ARTEFACTS } from '../../scripts/build.mjs';
import { authenticationFor, secretKeyFromBytes } from '../../local/secret-keys.js';
import { payload } from '../support/payloads.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import { BUNDLE, inProcessHandler, startSafetyStack, type SafetyStack } from '../support/safety-stack.js';

const root = resolve(import.meta.dirname, '../..');
const CLIENTS = { kms: 'KMSServiceException', dynamodb: 'DynamoDBServiceException' } as const;

/** Bundles `contents` in memory (class names kept, as unbundled) and imports it. */
async function load(contents: string, plugins: Plugin[] = []): Promise<Record<string, unknown>> {
  const result = await build({ stdin: { contents, resolveDir: root, loader: 'js' }, bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'silent', keepNames: true, plugins });
  const text = result.outputFiles[0]!.text;
  return (await import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`)) as Record<string, unknown>;
}

type ErrorClass = (new (opts: Record<string, unknown>) => Error) & { shapeId?: string };

/** Everything a caller can see of a class and of an instance made from `opts`. */
function observe(C: ErrorClass, Base: unknown, opts: Record<string, unknown>) {
  const a = new C(opts);
  const b = new C(opts);
  const own = Object.getOwnPropertyNames(a)
    .filter((k) => k !== 'stack')
    .map((k) => {
      const d = Object.getOwnPropertyDescriptor(a, k)!;
      return [k, JSON.stringify(d.value), d.writable, d.enumerable, d.configurable];
    });
  return {
    className: C.name,
    shapeId: Object.hasOwn(C, 'shapeId') ? C.shapeId : undefined,
    extendsBase: Object.getPrototypeOf(C) === Base,
    own,
    instanceOfClass: a instanceof C,
    instanceOfBase: a instanceof (Base as ErrorClass),
    prototype: Object.getPrototypeOf(a) === C.prototype,
    text: String(a),
    // A per-instance marker object is not shared between instances.
    retryableShared: (a as { $retryable?: object }).$retryable !== undefined && (a as { $retryable?: object }).$retryable === (b as { $retryable?: object }).$retryable,
  };
}

describe('the compacted SDK error classes behave as the generated ones', () => {
  for (const [client, base] of Object.entries(CLIENTS)) {
    test(`@aws-sdk/client-${client}: every class, every instance property, in order`, async () => {
      const dir = `${root}/node_modules/@aws-sdk/client-${client}/dist-es/models`;
      const entry = `export * from '${dir}/errors.js'; export { ${base} as __Base } from '${dir}/${base}.js';`;
      const [generated, compacted] = await Promise.all([load(entry), load(entry, [lambdaTrims(root, ['errors'])])]);
      const names = Object.keys(generated).filter((n) => n !== '__Base');
      expect(Object.keys(compacted).filter((n) => n !== '__Base').sort()).toEqual(names.sort());
      expect(names.length).toBeGreaterThan(30);
      // Every field any class declares, plus one none declares, with the fields the deserializer passes.
      const fields = ['Item', 'Message', 'CancellationReasons', 'ThrottlingReasons', 'throttlingReasons', 'NotDeclared'];
      const opts = { message: 'the message', $metadata: { httpStatusCode: 400, requestId: 'r' }, ...Object.fromEntries(fields.map((f) => [f, { field: f }])) };
      for (const name of names) {
        expect(observe(compacted[name] as ErrorClass, compacted['__Base'], opts), name).toEqual(observe(generated[name] as ErrorClass, generated['__Base'], opts));
      }
      console.log(`client-${client}: ${names.length} error classes compared`);
    });
  }

  test('a class of any other shape stops the build, naming the line', () => {
    const path = resolve(root, 'node_modules/@aws-sdk/client-kms/dist-es/models/errors.js');
    const source = readFileSync(path, 'utf8');
    expect(() => compactErrorClasses(source)).not.toThrow();
    const changed = source.replace('    $fault = "client";\n', '    $fault = "client";\n    $extra = true;\n');
    expect(() => compactErrorClasses(changed, 'errors.js')).toThrow(/^errors\.js:\d+: .*\$extra = true/);
    expect(() => compactErrorClasses(source.replace('...opts,', '...opts, more,'))).toThrow(/super opts/);
  });
});

describe('the other rewrites', () => {
  test("the clients' package.json keeps its version (the User-Agent's)", () => {
    for (const client of Object.keys(CLIENTS)) {
      const text = readFileSync(resolve(root, `node_modules/@aws-sdk/client-${client}/package.json`), 'utf8');
      expect(JSON.parse(versionOnly(text))).toEqual({ version: JSON.parse(text).version });
    }
  });

  test('without the regions\' descriptions, every region of every partition resolves to the same KMS and DynamoDB endpoints', async () => {
    const entry = [
      `export { defaultEndpointResolver as kms } from '${root}/node_modules/@aws-sdk/client-kms/dist-es/endpoint/endpointResolver.js';`,
      `export { defaultEndpointResolver as dynamodb } from '${root}/node_modules/@aws-sdk/client-dynamodb/dist-es/endpoint/endpointResolver.js';`,
      `export { partitionsInfo } from '${root}/node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';`,
    ].join('\n');
    const [generated, trimmed] = await Promise.all([load(entry), load(entry, [lambdaTrims(root, ['partitions'])])]);
    type Info = { partitions: { regions: Record<string, object> }[] };
    const regions = (generated['partitionsInfo'] as Info).partitions.flatMap((p) => Object.keys(p.regions));
    expect(JSON.stringify(trimmed['partitionsInfo'])).not.toContain('description');
    expect(regions).toContain('eu-west-3');
    const resolveAll = (m: Record<string, unknown>) =>
      [...regions, 'xx-nowhere-1', 'cn-nowhere-1'].flatMap((Region) =>
        [false, true].flatMap((UseFIPS) =>
          [false, true].flatMap((UseDualStack) =>
            (['kms', 'dynamodb'] as const).map((service) => {
              try {
                return JSON.stringify((m[service] as (p: object) => unknown)({ Region, UseFIPS, UseDualStack }));
              } catch (error) {
                return `error: ${(error as Error).message}`;
              }
            }),
          ),
        ),
      );
    const before = resolveAll(generated);
    expect(resolveAll(trimmed)).toEqual(before);
    expect(before.filter((e) => !e.startsWith('error')).length).toBeGreaterThan(regions.length * 4);
    console.log(`partitions: ${regions.length} regions × FIPS × dual-stack × 2 services, ${before.length} resolutions equal`);
  });
});

describe('every trim applies', () => {
  test('the Lambda bundle is built with all of them', () => {
    const plugins = (ARTEFACTS[0]!.options as { plugins?: Plugin[] }).plugins ?? [];
    expect(plugins.map((p) => p.name)).toContain('lambda-trims');
  });

  test('a trim that matches no file stops the build', async () => {
    await expect(load("export const x = 1;", [lambdaTrims(root)])).rejects.toThrow(/lambda-trims: nothing matched errors, package, partitions, .*HeaderFormatter.*invoke-store/);
    expect(Object.keys(REWRITES).length + Object.keys(REPLACED_FILES).length).toBe(11);
  });
});

// The committed bundle, run as serve runs it on a workstation: a ~/.aws/config that asks for FIPS
// endpoints (refused beside a custom endpoint) and adaptive retries, and AWS_RETRY_MODE=adaptive.
// The bundle reads neither file nor variable; a bundle without the trims refuses to sign.
describe('the bundle is configured by its environment alone', () => {
  const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
  let stack: SafetyStack;
  let dir: string;
  const saved = { AWS_CONFIG_FILE: process.env['AWS_CONFIG_FILE'], AWS_RETRY_MODE: process.env['AWS_RETRY_MODE'], AWS_PROFILE: process.env['AWS_PROFILE'] };

  beforeAll(async () => {
    stack = await startSafetyStack({ consensusKeys: { 'trims-tz2': 'secp256k1' }, authorizedKeys: [authorized.publicKey.encoded] });
    dir = await mkdtemp(join(tmpdir(), 'trims-'));
    await writeFile(join(dir, 'config'), '[default]\nuse_fips_endpoint = true\nretry_mode = adaptive\n');
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function signWith(bundle: string | undefined): Promise<{ statusCode: number; body: string }> {
    delete process.env['AWS_PROFILE'];
    const env = { ...stack.env, AWS_CONFIG_FILE: join(dir, 'config'), AWS_RETRY_MODE: 'adaptive' };
    const handler = await inProcessHandler(env, bundle ?? BUNDLE);
    const pkh = stack.consensus.get('trims-tz2')!.publicKey.pkh.encoded;
    const bytes = payload({ kind: 'block', chainId: Uint8Array.of(0x7a, 0x06, 0xa7, bundle ? 1 : 0), level: 10, round: 0 });
    return handler({
      version: '2.0',
      rawPath: `/keys/${pkh}`,
      rawQueryString: `authentication=${authenticationFor(authorized, parseKeyHash(pkh)!, bytes)}`,
      requestContext: { requestId: 'trims', http: { method: 'POST' } },
      body: JSON.stringify(toHex(bytes)),
    });
  }

  test('the committed bundle signs', async () => {
    const answer = await signWith(undefined);
    expect(answer.statusCode, answer.body).toBe(200);
  });

  test('the same sources without the trims read the file and refuse (the check can fail)', async () => {
    const options = { ...(ARTEFACTS[0]!.options as object), plugins: [] } as Parameters<typeof build>[0];
    const result = await build({ ...options, write: false });
    const untrimmed = join(dir, 'untrimmed.mjs');
    await writeFile(untrimmed, result.outputFiles![0]!.contents);
    const answer = await signWith(pathToFileURL(untrimmed).pathname);
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toMatch(/EndpointError/);
  });
});

describe('the invoke-store stand-in answers what the package answers', () => {
  const global = globalThis as { awslambda?: { InvokeStore?: unknown } };
  let saved: typeof global.awslambda;
  beforeAll(() => {
    saved = global.awslambda;
  });
  afterAll(() => {
    global.awslambda = saved;
  });

  test("the runtime's registered store is returned by both; without one, no trace id either way", async () => {
    // The package returns the runtime's store when one is registered (and caches its first answer, so
    // it is read here rather than called): the stand-in must do the same.
    const real = readFileSync(resolve(import.meta.dirname, '../../node_modules/@aws/lambda-invoke-store/dist-es/invoke-store.js'), 'utf8');
    expect(real).toContain('if (!NO_GLOBAL_AWS_LAMBDA && globalThis.awslambda?.InvokeStore) {\n                    return globalThis.awslambda.InvokeStore;');
    const { InvokeStore: StandIn } = await import('../../lambda/src/trims/no-invoke-store.js');
    const runtimeStore = { getXRayTraceId: () => 'Root=1-abc', getTraceparent: () => '00-abc-def-01' };
    global.awslambda = { InvokeStore: runtimeStore };
    expect(await StandIn.getInstanceAsync()).toBe(runtimeStore);
    global.awslambda = undefined;
    expect((await StandIn.getInstanceAsync())?.getXRayTraceId()).toBeUndefined();
  });
});
