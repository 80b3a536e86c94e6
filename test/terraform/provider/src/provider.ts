// An offline stand-in for the hashicorp/aws provider: a Terraform plugin (go-plugin handshake, mutual
// TLS, gRPC, plugin protocol 6) that serves the real provider's schema and plans and applies without
// AWS. Terraform launches it from the filesystem mirror that install.ts writes; it is never run by hand.
//
// The handshake (go-plugin): Terraform sets TF_PLUGIN_MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS and
// PLUGIN_CLIENT_CERT (its own certificate, PEM); the plugin listens, then prints one line on stdout:
//   1|6|unix|<socket path>|grpc|<its certificate, DER, base64 without padding>
// and serves gRPC over TLS, requiring Terraform's certificate.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { selfSignedCertificate } from './certificate.js';
import { readDataSource } from './data-sources.js';
import { decode, encode, isObject, type Value } from './msgpack.js';
import { conformBlock, contextFor, DEFAULT_REGION, fillBlock, planBlock } from './plan.js';
import { PolicyDocumentError } from './policy-document.js';
import { loadSchema, protoSchema, type ProviderSchema, type TypeSchema } from './schema.js';

const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const PROTOCOL_VERSION = 6;

interface DynamicValue {
  msgpack?: Buffer;
  json?: Buffer;
}

interface Diagnostic {
  severity: number;
  summary: string;
  detail: string;
}

function readDynamic(v: DynamicValue | null | undefined): Value {
  if (v?.msgpack && v.msgpack.length) return decode(v.msgpack);
  if (v?.json && v.json.length) return JSON.parse(v.json.toString('utf8')) as Value;
  return null;
}

function dynamic(value: Value): DynamicValue {
  return { msgpack: Buffer.from(encode(value)) };
}

function error(summary: string, detail = ''): Diagnostic {
  return { severity: 1, summary, detail };
}

export class OfflineProvider {
  region = DEFAULT_REGION;

  constructor(readonly schema: ProviderSchema) {}

  resource(type: string): TypeSchema {
    const s = this.schema.resource_schemas[type];
    if (!s) throw new Error(`the offline provider has no schema for resource type ${type}: add it to the trimmed schema (npm run tf:provider-schema)`);
    return s;
  }

  dataSource(type: string): TypeSchema {
    const s = this.schema.data_source_schemas[type];
    if (!s) throw new Error(`the offline provider has no schema for data source ${type}: add it to the trimmed schema (npm run tf:provider-schema)`);
    return s;
  }

  getProviderSchema() {
    const map = (o: { [k: string]: TypeSchema }) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, protoSchema(v)]));
    return {
      provider: protoSchema(this.schema.provider),
      resource_schemas: map(this.schema.resource_schemas),
      data_source_schemas: map(this.schema.data_source_schemas),
      diagnostics: [],
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false, move_resource_state: false },
    };
  }

  configure(config: Value) {
    if (isObject(config) && typeof config.region === 'string') this.region = config.region;
    return { diagnostics: [] };
  }

  upgradeResourceState(typeName: string, rawJson: Buffer | undefined) {
    const block = this.resource(typeName).block;
    const raw = rawJson && rawJson.length ? (JSON.parse(rawJson.toString('utf8')) as unknown) : null;
    return { upgraded_state: dynamic(conformBlock(block, raw)), diagnostics: [] };
  }

  planResourceChange(typeName: string, prior: Value, proposed: Value, config: Value) {
    const block = this.resource(typeName).block;
    if (proposed === null) return { planned_state: dynamic(null), requires_replace: [], diagnostics: [] };
    return { planned_state: dynamic(planBlock(block, proposed, config, prior === null)), requires_replace: [], diagnostics: [] };
  }

  applyResourceChange(typeName: string, planned: Value) {
    const block = this.resource(typeName).block;
    if (planned === null) return { new_state: dynamic(null), diagnostics: [] };
    return { new_state: dynamic(fillBlock(block, planned, contextFor(typeName, this.region, planned))), diagnostics: [] };
  }

  readDataSource(typeName: string, config: Value) {
    const block = this.dataSource(typeName).block;
    try {
      return { state: dynamic(readDataSource(typeName, block, config, this.region)), diagnostics: [] };
    } catch (e) {
      if (e instanceof PolicyDocumentError) return { state: dynamic(null), diagnostics: [error(e.message)] };
      throw e;
    }
  }
}

type Handler = (request: never) => object;

/** Wraps a handler: a thrown error becomes an error diagnostic, as a provider reports its failures. */
function unary(handler: Handler): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    try {
      callback(null, handler(call.request as never));
    } catch (e) {
      const err = e as Error;
      callback(null, { diagnostics: [error(`offline provider: ${err.message}`, err.stack ?? '')] });
    }
  };
}

function protoPath(name: string): string {
  // Bundled: the proto files are beside the bundle's source tree; TF_OFFLINE_PROTO_DIR says where.
  return join(process.env.TF_OFFLINE_PROTO_DIR ?? join(dirname(new URL(import.meta.url).pathname), '../proto'), name);
}

function loadPackage(file: string): grpc.GrpcObject {
  const def = protoLoader.loadSync(protoPath(file), { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true });
  return grpc.loadPackageDefinition(def);
}

function service(pkg: grpc.GrpcObject, path: string[]): grpc.ServiceDefinition {
  let o: unknown = pkg;
  for (const p of path) o = (o as { [k: string]: unknown })[p];
  return (o as { service: grpc.ServiceDefinition }).service;
}

export async function serve(): Promise<void> {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write('This binary is a plugin. These are not meant to be executed directly.\nTerraform runs it from the filesystem mirror that `npm run tf:check` installs.\n');
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(PROTOCOL_VERSION)).split(',').map((v) => Number(v.trim()));
  if (!versions.includes(PROTOCOL_VERSION)) {
    process.stderr.write(`offline provider: speaks plugin protocol ${PROTOCOL_VERSION}, Terraform offers ${versions.join(',')}\n`);
    process.exit(1);
  }
  const schemaPath = process.env.TF_OFFLINE_AWS_SCHEMA;
  if (!schemaPath) throw new Error('TF_OFFLINE_AWS_SCHEMA is not set (the mirror wrapper sets it)');
  const provider = new OfflineProvider(loadSchema(schemaPath));

  const tfplugin6 = loadPackage('tfplugin6.proto');
  const plugin = loadPackage('go-plugin.proto');
  const server = new grpc.Server();
  const dir = mkdtempSync(join(tmpdir(), 'tf-offline-aws-'));
  const socket = join(dir, 'plugin.sock');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.tryShutdown(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 1000).unref();
  };

  server.addService(service(tfplugin6, ['tfplugin6', 'Provider']), {
    GetProviderSchema: unary(() => provider.getProviderSchema()),
    ValidateProviderConfig: unary(() => ({ diagnostics: [] })),
    ValidateResourceConfig: unary((r: { type_name: string }) => {
      provider.resource(r.type_name);
      return { diagnostics: [] };
    }),
    ValidateDataResourceConfig: unary((r: { type_name: string }) => {
      provider.dataSource(r.type_name);
      return { diagnostics: [] };
    }),
    UpgradeResourceState: unary((r: { type_name: string; raw_state?: { json?: Buffer } }) => provider.upgradeResourceState(r.type_name, r.raw_state?.json)),
    ConfigureProvider: unary((r: { config?: DynamicValue }) => provider.configure(readDynamic(r.config))),
    ReadResource: unary((r: { current_state?: DynamicValue; private?: Buffer }) => ({ new_state: r.current_state, diagnostics: [], private: r.private })),
    PlanResourceChange: unary((r: { type_name: string; prior_state?: DynamicValue; proposed_new_state?: DynamicValue; config?: DynamicValue; prior_private?: Buffer }) => ({
      ...provider.planResourceChange(r.type_name, readDynamic(r.prior_state), readDynamic(r.proposed_new_state), readDynamic(r.config)),
      planned_private: r.prior_private,
    })),
    ApplyResourceChange: unary((r: { type_name: string; planned_state?: DynamicValue; planned_private?: Buffer }) => ({
      ...provider.applyResourceChange(r.type_name, readDynamic(r.planned_state)),
      private: r.planned_private,
    })),
    ImportResourceState: unary((r: { type_name: string }) => ({ diagnostics: [error(`the offline provider cannot import ${r.type_name}: there is no AWS behind it`)] })),
    ReadDataSource: unary((r: { type_name: string; config?: DynamicValue }) => provider.readDataSource(r.type_name, readDynamic(r.config))),
    StopProvider: unary(() => ({ Error: '' })),
  });
  server.addService(service(plugin, ['plugin', 'GRPCController']), {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(stop);
    },
  });

  // AutoMTLS: present our certificate, and accept only the client certificate Terraform gave us.
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  let credentials = grpc.ServerCredentials.createInsecure();
  let certField = '';
  if (clientCert) {
    const cert = selfSignedCertificate();
    credentials = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }], true);
    certField = cert.der.toString('base64').replace(/=+$/, '');
  }
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix:${socket}`, credentials, (err) => (err ? reject(err) : resolve())));
  process.stdout.write(`1|${PROTOCOL_VERSION}|unix|${socket}|grpc|${certField}\n`);
  // go-plugin clients handle SIGINT themselves; the plugin ignores it and exits on Shutdown or stdin close.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', stop);
}
