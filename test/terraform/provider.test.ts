// The offline hashicorp/aws provider, piece by piece and over its real wire: msgpack as cty writes it,
// the go-plugin handshake with mutual TLS, the schema it serves, how it plans and applies, and the
// policy documents it renders. tf-check.test.ts then runs Terraform itself against it.
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usedTypes } from '../../scripts/tf-files.mjs';
import { installOfflineProvider, repoRoot, schemaVersions } from '../../scripts/tf-offline.mjs';
import { selfSignedCertificate } from './provider/src/certificate.js';
import { readDataSource } from './provider/src/data-sources.js';
import { decode, encode, Unknown, UNKNOWN, type Value } from './provider/src/msgpack.js';
import { ACCOUNT_ID, contextFor, fillBlock, planBlock } from './provider/src/plan.js';
import { renderPolicyDocument } from './provider/src/policy-document.js';
import { impliedType, loadSchema, type BlockSchema } from './provider/src/schema.js';

const SCHEMA_DIR = join(repoRoot, 'test/terraform/provider/schemas');
const newest = schemaVersions().at(-1)!;
const schema = loadSchema(join(SCHEMA_DIR, `aws-${newest}.json`));

describe('msgpack as cty encodes it', () => {
  it('reads and writes the bytes cty writes for an object', () => {
    // {"a": "b", "n": 1, "l": [true, null]} with keys sorted, as cty marshals objects
    const bytes = Uint8Array.from([0x83, 0xa1, 0x61, 0xa1, 0x62, 0xa1, 0x6c, 0x92, 0xc3, 0xc0, 0xa1, 0x6e, 0x01]);
    expect(decode(bytes)).toEqual({ a: 'b', l: [true, null], n: 1 });
    expect(Buffer.from(encode({ n: 1, l: [true, null], a: 'b' }))).toEqual(Buffer.from(bytes));
  });

  it("writes cty's unknown as fixext1 type 0, and gives back a refined unknown byte for byte", () => {
    expect(Buffer.from(encode(UNKNOWN))).toEqual(Buffer.from([0xd4, 0, 0]));
    // ext8, type 12 (a refined unknown: "not null"), payload a one-entry map
    const refined = Uint8Array.from([0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2]);
    const v = decode(Uint8Array.from([0x91, ...refined]));
    expect(Array.isArray(v) && v[0] instanceof Unknown).toBe(true);
    expect(Buffer.from(encode(v))).toEqual(Buffer.from([0x91, ...refined]));
  });

  it('round-trips numbers of every width, long strings and binaries', () => {
    const values: Value[] = [0, 127, 128, 255, 65_536, -1, -33, -70_000, 2 ** 40, 1.5, 'x'.repeat(40), 'y'.repeat(70_000), Uint8Array.of(1, 2, 3)];
    for (const v of values) expect(decode(encode(v))).toEqual(v);
  });

  it('refuses truncated input and trailing bytes', () => {
    expect(() => decode(Uint8Array.of(0xa3, 0x61))).toThrow(/truncated/);
    expect(() => decode(Uint8Array.of(0xc0, 0xc0))).toThrow(/trailing/);
  });
});

describe('the handshake certificate', () => {
  it('is a self-signed CA for localhost with server and client authentication', () => {
    const cert = new X509Certificate(selfSignedCertificate().der);
    expect(cert.subject).toContain('CN=localhost');
    expect(cert.subjectAltName).toBe('DNS:localhost');
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
  });
});

describe('the committed schemas', () => {
  const versions = schemaVersions();

  it('cover the lower bound and the newest provider, for every type the module uses', () => {
    expect(versions.length).toBeGreaterThanOrEqual(2);
    for (const v of versions) {
      const s = loadSchema(join(SCHEMA_DIR, `aws-${v}.json`));
      expect(s.provider_version).toBe(v);
      for (const t of ['aws_lambda_function', 'aws_kms_key', 'aws_dynamodb_table', 'aws_iam_role', 'aws_lambda_permission']) expect(s.resource_schemas[t], `${v} ${t}`).toBeDefined();
      expect(s.data_source_schemas.aws_iam_policy_document).toBeDefined();
    }
  });

  it('hold every resource and data source type the repository uses (else: npm run tf:provider-schema)', async () => {
    const { resources, dataSources } = await usedTypes();
    for (const v of versions) {
      const s = loadSchema(join(SCHEMA_DIR, `aws-${v}.json`));
      expect(resources.filter((t) => !s.resource_schemas[t]), `resources missing from aws-${v}.json`).toEqual([]);
      expect(dataSources.filter((t) => !s.data_source_schemas[t]), `data sources missing from aws-${v}.json`).toEqual([]);
    }
  });

  it('carry full types, nesting modes and flags', () => {
    const fn = schema.resource_schemas.aws_lambda_function!.block;
    expect(fn.attributes.role).toEqual({ type: 'string', required: true });
    expect(fn.attributes.arn).toEqual({ type: 'string', computed: true });
    expect(fn.attributes.architectures).toEqual({ type: ['list', 'string'], optional: true, computed: true });
    expect(fn.block_types.environment).toMatchObject({ nesting_mode: 'list', max_items: 1 });
    expect(fn.block_types.environment!.block.attributes.variables!.type).toEqual(['map', 'string']);
    expect(fn.block_types.timeouts!.nesting_mode).toBe('single');
    const st = schema.data_source_schemas.aws_iam_policy_document!.block.block_types.statement!;
    expect(st.nesting_mode).toBe('list');
    expect(st.block.block_types.principals!.nesting_mode).toBe('set');
    expect(st.block.attributes.actions!.type).toEqual(['set', 'string']);
    expect(schema.provider.block.attributes.secret_key).toMatchObject({ sensitive: true });
  });

  it('the lower bound already serves multi_region: MRSC replicas, the witness, replica keys, per-resource region', () => {
    const oldest = loadSchema(join(SCHEMA_DIR, `aws-${versions[0]}.json`));
    const table = oldest.resource_schemas.aws_dynamodb_table!.block;
    expect(table.block_types.replica!.block.attributes.consistency_mode).toMatchObject({ type: 'string', optional: true });
    expect(table.block_types.global_table_witness!.block.attributes.region_name).toBeDefined();
    expect(oldest.resource_schemas.aws_kms_replica_key!.block.attributes.primary_key_arn).toMatchObject({ required: true });
    for (const t of ['aws_lambda_function', 'aws_kms_replica_key', 'aws_lambda_function_url', 'aws_cloudwatch_log_group']) expect(oldest.resource_schemas[t]!.block.attributes.region, t).toMatchObject({ optional: true });
  });

  it('the module lower bound is the oldest schema proven', () => {
    const oldest = versions[0]!.split('.').slice(0, 2).join('.');
    const files = ['versions.tf', ...['exposure', 'kms-key', 'monitoring', 'watermark-table'].map((m) => `modules/${m}/versions.tf`)];
    for (const f of files) {
      const text = readFileSync(join(repoRoot, f), 'utf8');
      const aws = text.match(/aws\s*=\s*\{[^}]*version\s*=\s*"([^"]+)"/)?.[1];
      expect(aws, f).toBe(`>= ${oldest}`);
    }
  });
});

describe('plan and apply', () => {
  const kms = schema.resource_schemas.aws_kms_key!.block;
  const config = objectOf(kms, { description: 'k', key_usage: 'SIGN_VERIFY', customer_master_key_spec: 'ECC_SECG_P256K1', policy: '{}' });

  it('marks what the configuration leaves to the provider unknown on create, and keeps the rest', () => {
    const planned = planBlock(kms, config, config, true) as { [k: string]: Value };
    expect(planned.arn).toBeInstanceOf(Unknown);
    expect(planned.key_id).toBeInstanceOf(Unknown);
    expect(planned.description).toBe('k');
    expect(planned.customer_master_key_spec).toBe('ECC_SECG_P256K1');
  });

  it('changes nothing on update: the prior values stand', () => {
    const prior = { ...(config as { [k: string]: Value }), arn: 'arn:aws:kms:eu-west-1:123456789012:key/x' };
    expect(planBlock(kms, prior, config, false)).toEqual(prior);
  });

  it('applies with placeholders of the right shape, the same for the same configuration', () => {
    const planned = planBlock(kms, config, config, true);
    const a = fillBlock(kms, planned, contextFor('aws_kms_key', 'eu-west-1', planned)) as { [k: string]: Value };
    const b = fillBlock(kms, planned, contextFor('aws_kms_key', 'eu-west-1', planned)) as { [k: string]: Value };
    expect(a).toEqual(b);
    expect(a.arn).toMatch(new RegExp(`^arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
    expect(a.key_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(a)).not.toContain('Unknown');
    expect(Object.values(a).some((v) => v instanceof Unknown)).toBe(false);
  });

  it('shapes multi-Region keys as KMS does: mrk- ids, a replica with its primary\'s id in its own Region', () => {
    const mrkConfig = objectOf(kms, { description: 'k', key_usage: 'SIGN_VERIFY', customer_master_key_spec: 'ECC_SECG_P256K1', multi_region: true });
    const primary = fillBlock(kms, planBlock(kms, mrkConfig, mrkConfig, true), contextFor('aws_kms_key', 'eu-west-1', mrkConfig)) as { [k: string]: Value };
    expect(primary.key_id).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(primary.arn).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/${primary.key_id}`);
    const replicaBlock = schema.resource_schemas.aws_kms_replica_key!.block;
    const replicaConfig = objectOf(replicaBlock, { primary_key_arn: primary.arn!, region: 'eu-central-1' });
    const replica = fillBlock(replicaBlock, planBlock(replicaBlock, replicaConfig, replicaConfig, true), contextFor('aws_kms_replica_key', 'eu-west-1', replicaConfig)) as { [k: string]: Value };
    expect(replica.key_id).toBe(primary.key_id);
    expect(replica.arn).toBe(`arn:aws:kms:eu-central-1:${ACCOUNT_ID}:key/${primary.key_id}`);
    // A single-Region key keeps a plain UUID.
    expect(fillBlock(kms, planBlock(kms, config, config, true), contextFor('aws_kms_key', 'eu-west-1', config)) as { [k: string]: Value }).toMatchObject({ key_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it("places a table replica's ARN in the replica's Region", () => {
    const table = schema.resource_schemas.aws_dynamodb_table!.block;
    const cfg = objectOf(table, { name: 't', hash_key: 'pk', replica: [objectOf(table.block_types.replica!.block, { region_name: 'us-east-2', consistency_mode: 'STRONG' })] });
    const applied = fillBlock(table, planBlock(table, cfg, cfg, true), contextFor('aws_dynamodb_table', 'us-east-1', cfg)) as { arn: string; replica: { arn: string }[] };
    expect(applied.arn).toBe(`arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/t`);
    expect(applied.replica[0]!.arn).toBe(`arn:aws:dynamodb:us-east-2:${ACCOUNT_ID}:table/t`);
  });

  it('answers caller identity, partition and region with fixed AWS-shaped values', () => {
    const ci = readDataSource('aws_caller_identity', schema.data_source_schemas.aws_caller_identity!.block, {}, 'eu-west-1') as { [k: string]: Value };
    expect(ci.account_id).toBe(ACCOUNT_ID);
    const p = readDataSource('aws_partition', schema.data_source_schemas.aws_partition!.block, {}, 'eu-west-1') as { [k: string]: Value };
    expect(p.partition).toBe('aws');
    const r = readDataSource('aws_region', schema.data_source_schemas.aws_region!.block, {}, 'us-east-2') as { [k: string]: Value };
    expect(r.region).toBe('us-east-2');
  });
});

describe('aws_iam_policy_document, rendered as the provider renders it', () => {
  const stmt = (o: { [k: string]: Value }) => ({ sid: null, effect: null, actions: null, not_actions: null, resources: null, not_resources: null, principals: [], not_principals: [], condition: [], ...o });

  it('sorts sets in reverse, collapses singletons, defaults Version and Effect, indents by two spaces', () => {
    const rendered = renderPolicyDocument({
      statement: [
        stmt({ sid: 'A', actions: ['kms:GetPublicKey', 'kms:Sign'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:role/b', 'arn:aws:iam::123456789012:role/a'] }] }),
        stmt({ effect: 'Deny', actions: ['kms:Sign'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }], condition: [{ test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::123456789012:role/a'] }] }),
        stmt({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/&{aws:username}'], principals: [{ type: '*', identifiers: ['*'] }] }),
      ],
    });
    expect(rendered.json).toBe(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "A",
      "Effect": "Allow",
      "Action": [
        "kms:Sign",
        "kms:GetPublicKey"
      ],
      "Resource": "*",
      "Principal": {
        "AWS": [
          "arn:aws:iam::123456789012:role/b",
          "arn:aws:iam::123456789012:role/a"
        ]
      }
    },
    {
      "Effect": "Deny",
      "Action": "kms:Sign",
      "Resource": "*",
      "Principal": {
        "AWS": "*"
      },
      "Condition": {
        "ArnNotEquals": {
          "aws:PrincipalArn": "arn:aws:iam::123456789012:role/a"
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/\${aws:username}",
      "Principal": "*"
    }
  ]
}`);
    expect(rendered.minified_json).toBe(JSON.stringify(JSON.parse(rendered.json)));
    expect(rendered.id).toMatch(/^\d+$/);
  });

  it("escapes <, > and & as Go's encoder does, and merges statements by Sid", () => {
    const rendered = renderPolicyDocument({
      source_policy_documents: ['{"Version":"2012-10-17","Statement":[{"Sid":"Keep","Effect":"Allow","Action":"a:B","Resource":"*"},{"Sid":"Replace","Effect":"Allow","Action":"a:Old","Resource":"*"}]}'],
      statement: [stmt({ sid: 'Replace', actions: ['a:New'], resources: ['x<&>y'] })],
    });
    const doc = JSON.parse(rendered.json) as { Statement: { Sid: string; Action: string }[] };
    expect(doc.Statement.map((s) => `${s.Sid}:${s.Action}`)).toEqual(['Keep:a:B', 'Replace:a:New']);
    expect(rendered.json).toContain('x\\u003c\\u0026\\u003ey');
  });

  it('refuses duplicate Sids and unknown effects, as the provider does', () => {
    expect(() => renderPolicyDocument({ statement: [stmt({ sid: 'S' }), stmt({ sid: 'S' })] })).toThrow(/duplicate Sid/);
    expect(() => renderPolicyDocument({ statement: [stmt({ effect: 'Maybe' })] })).toThrow(/Allow/);
  });
});

describe('the plugin over its wire: go-plugin handshake, mutual TLS, gRPC', () => {
  let child: ChildProcess;
  let line = '';
  let exited: Promise<number | null>;
  const client = selfSignedCertificate();

  beforeAll(async () => {
    const [installed] = await installOfflineProvider([newest]);
    const exe = readFileSync(installed!.cliConfig, 'utf8').match(/path\s*=\s*"([^"]+)"/)![1]!;
    const wrapper = join(exe, 'registry.terraform.io/hashicorp/aws', newest);
    const platformDir = (await import('node:fs')).readdirSync(wrapper)[0]!;
    child = spawn(join(wrapper, platformDir, `terraform-provider-aws_v${newest}`), [], {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2', PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certPem },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`plugin exited ${code}`)));
    });
  }, 60_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill();
  });

  const stubs = () => {
    const [, , , socket, , certB64] = line.split('|');
    const serverCert = new X509Certificate(Buffer.from(certB64!, 'base64'));
    const creds = grpc.credentials.createSsl(Buffer.from(serverCert.toString()), Buffer.from(client.keyPem), Buffer.from(client.certPem));
    const load = (f: string) => grpc.loadPackageDefinition(protoLoader.loadSync(join(repoRoot, 'test/terraform/provider/proto', f), { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true }));
    const opts = { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' };
    const P = (load('tfplugin6.proto').tfplugin6 as grpc.GrpcObject).Provider as grpc.ServiceClientConstructor;
    const C = (load('go-plugin.proto').plugin as grpc.GrpcObject).GRPCController as grpc.ServiceClientConstructor;
    return { provider: new P(`unix:${socket}`, creds, opts), controller: new C(`unix:${socket}`, creds, opts) };
  };

  it('prints the go-plugin handshake line: core 1, protocol 6, a unix socket, grpc, its certificate', () => {
    expect(line).toMatch(/^1\|6\|unix\|\/[^|]+\.sock\|grpc\|[A-Za-z0-9+/]+$/);
    // RawStdEncoding: no padding, as go-plugin's client decodes it
    expect(line.endsWith('=')).toBe(false);
  });

  it('serves the schema over mutual TLS, with cty types Terraform can read', async () => {
    const { provider } = stubs();
    const res = await new Promise<{ resource_schemas: { [k: string]: { block: { attributes: { name: string; type: Buffer }[] } } } }>((resolve, reject) =>
      (provider.GetProviderSchema as (req: object, cb: (e: Error | null, r: never) => void) => void)({}, (e, r) => (e ? reject(e) : resolve(r))),
    );
    const fn = res.resource_schemas.aws_lambda_function!.block.attributes.find((a) => a.name === 'architectures')!;
    expect(JSON.parse(fn.type.toString())).toEqual(['list', 'string']);
    expect(Object.keys(res.resource_schemas).sort()).toEqual(Object.keys(schema.resource_schemas).sort());
    provider.close();
  });

  it('refuses a client without the certificate Terraform announced', async () => {
    const [, , , socket] = line.split('|');
    const other = selfSignedCertificate();
    const serverDer = Buffer.from(line.split('|')[5]!, 'base64');
    const creds = grpc.credentials.createSsl(Buffer.from(new X509Certificate(serverDer).toString()), Buffer.from(other.keyPem), Buffer.from(other.certPem));
    const P = (grpc.loadPackageDefinition(protoLoader.loadSync(join(repoRoot, 'test/terraform/provider/proto/tfplugin6.proto'))).tfplugin6 as grpc.GrpcObject).Provider as grpc.ServiceClientConstructor;
    const stranger = new P(`unix:${socket}`, creds, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
    const err = await new Promise<Error | null>((resolve) =>
      (stranger.GetProviderSchema as (req: object, o: object, cb: (e: Error | null) => void) => void)({}, { deadline: Date.now() + 5000 }, (e) => resolve(e)),
    );
    expect(err).not.toBeNull();
    stranger.close();
  });

  it('plans a create with unknown computed values, in msgpack', async () => {
    const { provider } = stubs();
    const kms = schema.resource_schemas.aws_kms_key!.block;
    const cfg = objectOf(kms, { description: 'k', customer_master_key_spec: 'ECC_SECG_P256K1', key_usage: 'SIGN_VERIFY' });
    const res = await new Promise<{ planned_state: { msgpack: Buffer }; diagnostics: unknown[] }>((resolve, reject) =>
      (provider.PlanResourceChange as (req: object, cb: (e: Error | null, r: never) => void) => void)(
        { type_name: 'aws_kms_key', prior_state: { msgpack: Buffer.from(encode(null)) }, proposed_new_state: { msgpack: Buffer.from(encode(cfg)) }, config: { msgpack: Buffer.from(encode(cfg)) } },
        (e, r) => (e ? reject(e) : resolve(r)),
      ),
    );
    expect(res.diagnostics).toEqual([]);
    const planned = decode(res.planned_state.msgpack) as { [k: string]: Value };
    expect(planned.arn).toBeInstanceOf(Unknown);
    expect(planned.description).toBe('k');
    provider.close();
  });

  it('exits when Terraform asks the controller to shut down', async () => {
    const { controller } = stubs();
    await new Promise<void>((resolve, reject) => (controller.Shutdown as (req: object, cb: (e: Error | null) => void) => void)({}, (e) => (e ? reject(e) : resolve())));
    expect(await exited).toBe(0);
    controller.close();
  });
});

describe('the plugin run by hand', () => {
  it('refuses to start without the magic cookie, saying what it is', async () => {
    const [installed] = await installOfflineProvider([newest]);
    const mirror = readFileSync(installed!.cliConfig, 'utf8').match(/path\s*=\s*"([^"]+)"/)![1]!;
    const dir = join(mirror, 'registry.terraform.io/hashicorp/aws', newest);
    const exe = join(dir, (await import('node:fs')).readdirSync(dir)[0]!, `terraform-provider-aws_v${newest}`);
    const env = { ...process.env };
    delete env.TF_PLUGIN_MAGIC_COOKIE;
    const p = spawn(exe, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise((resolve) => p.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('This binary is a plugin');
  }, 30_000);
});

/** A value of a block with every attribute present (null where not given), nested blocks empty. */
function objectOf(block: BlockSchema, given: { [k: string]: Value }): Value {
  const t = impliedType(block);
  const attrs = Array.isArray(t) && t[0] === 'object' ? (t[1] as { [k: string]: unknown }) : {};
  const out: { [k: string]: Value } = {};
  for (const name of Object.keys(attrs)) {
    const bt = block.block_types[name];
    out[name] = name in given ? given[name]! : bt ? (bt.nesting_mode === 'single' || bt.nesting_mode === 'group' ? null : bt.nesting_mode === 'map' ? {} : []) : null;
  }
  return out;
}
