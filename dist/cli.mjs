// Built from cli/ by `npm run build`; do not edit.

// cli/command.ts
var EXIT = {
  ok: 0,
  /** The check ran and found a problem (a refusal that should have been a signature, a mismatch). */
  failed: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** Could not reach the signer, KMS or DynamoDB. */
  unreachable: 3
};
var UsageError = class extends Error {
};

// cli/commands/serve.ts
import { parseArgs } from "node:util";
import { resolve as resolve2, dirname } from "node:path";
import { fileURLToPath } from "node:url";

// cli/serve.ts
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// local/http-server.ts
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
var MAX_BODY = 1024 * 1024;
async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
function toFunctionUrlEvent(method, url, headers, body, requestId) {
  const question = url.indexOf("?");
  const rawPath = question === -1 ? url : url.slice(0, question);
  const rawQueryString = question === -1 ? "" : url.slice(question + 1);
  const isText = body.length === 0 || !body.includes(0);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    requestContext: { requestId, http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "" } },
    body: body.length === 0 ? void 0 : isText ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: !isText
  };
}
async function serveHandler(handler, port, host = "127.0.0.1") {
  const server = createServer((request, response) => {
    void (async () => {
      const requestId = randomUUID();
      let result;
      try {
        const body = await readBody(request);
        const headers = {};
        for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers[name] = value;
        result = await handler(toFunctionUrlEvent(request.method ?? "GET", request.url ?? "/", headers, body, requestId), { awsRequestId: requestId });
      } catch (error) {
        const msg = error instanceof Error && error.message === "body too large" ? "body too large" : "internal error";
        result = { statusCode: msg === "body too large" ? 413 : 500, headers: { "content-type": "application/json" }, body: JSON.stringify([{ kind: "temporary", id: "failure", msg }]) };
      }
      response.writeHead(result.statusCode, result.headers ?? {});
      response.end(result.body ?? "");
    })();
  });
  server.keepAliveTimeout = 65e3;
  await new Promise((resolve3, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve3());
  });
  const address = server.address();
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve3) => {
      server.close(() => resolve3());
      server.closeAllConnections();
    })
  };
}

// local/secret-keys.ts
import { ed25519 as ed255193 } from "@noble/curves/ed25519.js";
import { p256 as p2563 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k13 } from "@noble/curves/secp256k1.js";

// lambda/src/base58.ts
import bs58check from "bs58check";

// lambda/src/bytes.ts
var HEX = /^(?:[0-9a-fA-F]{2})*$/;
function fromHex(text) {
  if (!HEX.test(text)) throw new TypeError("not an even-length hex string");
  return Uint8Array.from(Buffer.from(text, "hex"));
}
function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
function concatBytes(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

// lambda/src/base58.ts
function prefix(name, hex, payloadLength) {
  return { name, bytes: Uint8Array.from(Buffer.from(hex, "hex")), payloadLength };
}
var PREFIX = {
  tz1: prefix("tz1", "06a19f", 20),
  tz2: prefix("tz2", "06a1a1", 20),
  tz3: prefix("tz3", "06a1a4", 20),
  edpk: prefix("edpk", "0d0f25d9", 32),
  sppk: prefix("sppk", "03fee256", 33),
  p2pk: prefix("p2pk", "03b28b7f", 33),
  edsig: prefix("edsig", "09f5cd8612", 64),
  spsig1: prefix("spsig1", "0d7365133f", 64),
  p2sig: prefix("p2sig", "36f02c34", 64),
  sig: prefix("sig", "04822b", 64),
  chainId: prefix("Net", "575200", 4),
  // Secret keys never reach the Lambda; the local tools and tests use these.
  edsk: prefix("edsk", "0d0f3a07", 64),
  edskSeed: prefix("edsk", "2bf64e07", 32),
  spsk: prefix("spsk", "11a2e0c9", 32),
  p2sk: prefix("p2sk", "1051eebd", 32)
};
function b58encode(p, payload) {
  if (payload.length !== p.payloadLength) {
    throw new RangeError(`${p.name} payload must be ${p.payloadLength} bytes, got ${payload.length}`);
  }
  return bs58check.encode(concatBytes(p.bytes, payload));
}
function b58decode(p, text) {
  let raw;
  try {
    raw = bs58check.decodeUnsafe(text);
  } catch {
    return void 0;
  }
  if (raw === void 0 || raw.length !== p.bytes.length + p.payloadLength) return void 0;
  for (let i = 0; i < p.bytes.length; i++) if (raw[i] !== p.bytes[i]) return void 0;
  return raw.slice(p.bytes.length);
}

// lambda/src/hash.ts
import { blake2b } from "@noble/hashes/blake2.js";
function blake2b160(data) {
  return blake2b(data, { dkLen: 20 });
}

// lambda/src/keys.ts
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
var CURVES = {
  ed25519: { publicKey: PREFIX.edpk, pkh: PREFIX.tz1, signature: PREFIX.edsig, tag: 0 },
  secp256k1: { publicKey: PREFIX.sppk, pkh: PREFIX.tz2, signature: PREFIX.spsig1, tag: 1 },
  p256: { publicKey: PREFIX.p2pk, pkh: PREFIX.tz3, signature: PREFIX.p2sig, tag: 2 }
};
var ALL_CURVES = Object.keys(CURVES);
function publicKeyFromBytes(curve, bytes) {
  let verifyBytes;
  if (curve === "ed25519") {
    if (bytes.length !== 32) throw new TypeError("an Ed25519 public key is 32 bytes");
    ed25519.Point.fromBytes(bytes);
    verifyBytes = bytes;
  } else {
    if (bytes.length !== 33) throw new TypeError("a compressed public key is 33 bytes");
    const point = (curve === "secp256k1" ? secp256k1 : p256).Point.fromBytes(bytes);
    verifyBytes = point.toBytes(false);
  }
  const info = CURVES[curve];
  const hash = blake2b160(bytes);
  return {
    curve,
    bytes,
    verifyBytes,
    encoded: b58encode(info.publicKey, bytes),
    pkh: { curve, hash, encoded: b58encode(info.pkh, hash) }
  };
}

// lambda/src/signature.ts
import { ed25519 as ed255192 } from "@noble/curves/ed25519.js";
import { p256 as p2562 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k12 } from "@noble/curves/secp256k1.js";
var ORDER = {
  secp256k1: secp256k12.Point.CURVE().n,
  p256: p2562.Point.CURVE().n
};

// lambda/src/auth.ts
var AUTH_MAGIC = Uint8Array.of(4, 1);

// local/secret-keys.ts
var ECDSA = { secp256k1: secp256k13, p256: p2563 };
function secretKeyFromBytes(curve, secret) {
  if (secret.length !== 32) throw new TypeError("a secret key is 32 bytes");
  const publicBytes = curve === "ed25519" ? ed255193.getPublicKey(secret) : ECDSA[curve].getPublicKey(secret, true);
  const prefix2 = curve === "ed25519" ? PREFIX.edskSeed : curve === "secp256k1" ? PREFIX.spsk : PREFIX.p2sk;
  return { curve, secret, encoded: b58encode(prefix2, secret), publicKey: publicKeyFromBytes(curve, publicBytes) };
}
function generateSecretKey(curve = "secp256k1") {
  const secret = curve === "ed25519" ? ed255193.utils.randomSecretKey() : ECDSA[curve].utils.randomSecretKey();
  return secretKeyFromBytes(curve, secret);
}
function parseSecretKey(text) {
  const value = text.startsWith("unencrypted:") ? text.slice("unencrypted:".length) : text;
  const sp = b58decode(PREFIX.spsk, value);
  if (sp) return secretKeyFromBytes("secp256k1", sp);
  const p2 = b58decode(PREFIX.p2sk, value);
  if (p2) return secretKeyFromBytes("p256", p2);
  const seed = b58decode(PREFIX.edskSeed, value);
  if (seed) return secretKeyFromBytes("ed25519", seed);
  const expanded = b58decode(PREFIX.edsk, value);
  if (expanded) return secretKeyFromBytes("ed25519", expanded.slice(0, 32));
  throw new TypeError("not an unencrypted spsk, p2sk or edsk secret key");
}

// cli/local-stack.ts
import { mkdir as mkdir2, readFile as readFile2, writeFile as writeFile2, rename as rename2 } from "node:fs/promises";
import { join as join2 } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";

// local/kms-server.ts
import { createServer as createServer2 } from "node:http";
import { randomUUID as randomUUID2 } from "node:crypto";
import { mkdir, readFile, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ed25519 as ed255194 } from "@noble/curves/ed25519.js";
import { p256 as p2564 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k14 } from "@noble/curves/secp256k1.js";
var SPKI_PREFIX = {
  ECC_SECG_P256K1: "3056301006072a8648ce3d020106052b8104000a034200",
  ECC_NIST_P256: "3059301306072a8648ce3d020106082a8648ce3d030107034200",
  ECC_NIST_EDWARDS25519: "302a300506032b6570032100"
};
var ALGORITHMS = {
  ECC_SECG_P256K1: ["ECDSA_SHA_256"],
  ECC_NIST_P256: ["ECDSA_SHA_256"],
  ECC_NIST_EDWARDS25519: ["ED25519_SHA_512", "ED25519_PH_SHA_512"]
};
var KmsError = class extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
  type;
  status;
};
function publicKeyOf(key) {
  const secret = fromHex(key.PrivateKey);
  const raw = key.KeySpec === "ECC_NIST_EDWARDS25519" ? ed255194.getPublicKey(secret) : (key.KeySpec === "ECC_SECG_P256K1" ? secp256k14 : p2564).getPublicKey(secret, false);
  return Uint8Array.from(Buffer.concat([Buffer.from(SPKI_PREFIX[key.KeySpec], "hex"), raw]));
}
function newSecret(spec) {
  if (spec === "ECC_NIST_EDWARDS25519") return ed255194.utils.randomSecretKey();
  return (spec === "ECC_SECG_P256K1" ? secp256k14 : p2564).utils.randomSecretKey();
}
async function startLocalKms(options) {
  const region = options.region ?? "us-east-1";
  const account = "000000000000";
  const arn = (id) => `arn:aws:kms:${region}:${account}:key/${id}`;
  const faults = options.faults ?? {};
  const stats = { createKey: 0, getPublicKey: 0, sign: 0, listKeys: 0, describeKey: 0, faultsInjected: 0 };
  const keys = /* @__PURE__ */ new Map();
  await mkdir(options.dir, { recursive: true, mode: 448 });
  const fileOf = (id) => join(options.dir, `${id}.json`);
  async function load(id) {
    if (!/^[0-9a-f-]{36}$/.test(id)) return void 0;
    try {
      const key = JSON.parse(await readFile(fileOf(id), "utf8"));
      keys.set(id, key);
      return key;
    } catch {
      return void 0;
    }
  }
  for (const name of await readdir(options.dir)) if (name.endsWith(".json")) await load(name.slice(0, -5));
  async function find(keyId) {
    if (typeof keyId !== "string" || keyId === "") throw new KmsError("ValidationException", "KeyId is required");
    const id = keyId.startsWith("arn:") ? keyId.slice(keyId.lastIndexOf("/") + 1) : keyId;
    const key = keys.get(id) ?? await load(id);
    if (key === void 0) throw new KmsError("NotFoundException", `Key '${arn(id)}' does not exist`);
    return key;
  }
  const metadata = (key) => ({
    AWSAccountId: account,
    KeyId: key.KeyId,
    Arn: arn(key.KeyId),
    CreationDate: Date.parse(key.CreationDate) / 1e3,
    Enabled: true,
    Description: key.Description,
    KeyUsage: "SIGN_VERIFY",
    KeyState: "Enabled",
    Origin: "AWS_KMS",
    KeyManager: "CUSTOMER",
    KeySpec: key.KeySpec,
    CustomerMasterKeySpec: key.KeySpec,
    SigningAlgorithms: ALGORITHMS[key.KeySpec]
  });
  async function fault(which) {
    const current = faults[which];
    if (current === void 0) return void 0;
    if (current.times !== void 0) {
      if (current.times <= 0) return void 0;
      current.times -= 1;
    }
    stats.faultsInjected += 1;
    if (current.kind === "error") throw new KmsError("KMSInternalException", "injected fault: internal error", 500);
    if (current.kind === "throttle") throw new KmsError("ThrottlingException", "Rate exceeded (injected fault)");
    if (current.kind === "delay") await new Promise((r) => setTimeout(r, current.ms));
    return current;
  }
  const operations = {
    async CreateKey(input) {
      stats.createKey += 1;
      const spec = input["KeySpec"] ?? "SYMMETRIC_DEFAULT";
      if (input["KeyUsage"] !== "SIGN_VERIFY" || !(spec in SPKI_PREFIX)) {
        throw new KmsError("UnsupportedOperationException", `this local KMS creates only SIGN_VERIFY keys of ${Object.keys(SPKI_PREFIX).join(", ")}`);
      }
      const key = {
        KeyId: randomUUID2(),
        KeySpec: spec,
        PrivateKey: toHex(newSecret(spec)),
        CreationDate: (/* @__PURE__ */ new Date()).toISOString(),
        Description: typeof input["Description"] === "string" ? input["Description"] : ""
      };
      const temp = `${fileOf(key.KeyId)}.tmp`;
      await writeFile(temp, JSON.stringify(key, null, 2) + "\n", { mode: 384 });
      await rename(temp, fileOf(key.KeyId));
      keys.set(key.KeyId, key);
      return { KeyMetadata: metadata(key) };
    },
    async GetPublicKey(input) {
      stats.getPublicKey += 1;
      await fault("getPublicKey");
      const key = await find(input["KeyId"]);
      return {
        KeyId: arn(key.KeyId),
        PublicKey: Buffer.from(publicKeyOf(key)).toString("base64"),
        KeySpec: key.KeySpec,
        CustomerMasterKeySpec: key.KeySpec,
        KeyUsage: "SIGN_VERIFY",
        SigningAlgorithms: ALGORITHMS[key.KeySpec]
      };
    },
    async Sign(input) {
      stats.sign += 1;
      const key = await find(input["KeyId"]);
      const algorithm = input["SigningAlgorithm"];
      const messageType = input["MessageType"] ?? "RAW";
      if (typeof algorithm !== "string" || !ALGORITHMS[key.KeySpec].includes(algorithm)) {
        throw new KmsError("InvalidKeyUsageException", `SigningAlgorithm ${String(algorithm)} is not valid for a ${key.KeySpec} key`);
      }
      if (typeof input["Message"] !== "string") throw new KmsError("ValidationException", "Message is required");
      let message = Uint8Array.from(Buffer.from(input["Message"], "base64"));
      const secret = fromHex(key.PrivateKey);
      const applied = await fault("sign");
      let signature;
      if (key.KeySpec === "ECC_NIST_EDWARDS25519") {
        if (algorithm === "ED25519_SHA_512" && messageType !== "RAW") {
          throw new KmsError("ValidationException", "ED25519_SHA_512 signs RAW messages only");
        }
        if (algorithm === "ED25519_PH_SHA_512") throw new KmsError("UnsupportedOperationException", "ED25519_PH_SHA_512 is not implemented by this local KMS");
        signature = ed255194.sign(message, applied?.kind === "wrong-key" ? ed255194.utils.randomSecretKey() : secret);
      } else {
        if (messageType === "DIGEST") {
          if (message.length !== 32) throw new KmsError("ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256.");
        } else if (messageType === "RAW") {
          message = Uint8Array.from((await import("node:crypto")).createHash("sha256").update(message).digest());
        } else {
          throw new KmsError("ValidationException", `MessageType ${String(messageType)} is not supported`);
        }
        const curve = key.KeySpec === "ECC_SECG_P256K1" ? secp256k14 : p2564;
        const signer = applied?.kind === "wrong-key" ? curve.utils.randomSecretKey() : secret;
        signature = curve.sign(message, signer, { prehash: false, lowS: false, extraEntropy: true, format: "der" });
      }
      if (applied?.kind === "malformed-der") signature = Uint8Array.from([48, 6, 2, 1, 0, 2, 1]);
      return { KeyId: arn(key.KeyId), Signature: Buffer.from(signature).toString("base64"), SigningAlgorithm: algorithm };
    },
    async ListKeys() {
      stats.listKeys += 1;
      const ids = [...keys.keys()].sort();
      return { Keys: ids.map((id) => ({ KeyId: id, KeyArn: arn(id) })), Truncated: false };
    },
    async DescribeKey(input) {
      stats.describeKey += 1;
      return { KeyMetadata: metadata(await find(input["KeyId"])) };
    }
  };
  const reply = (response, status, body) => {
    if (response.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(text), "x-amzn-requestid": randomUUID2() });
    response.end(text);
  };
  async function handle(request, response) {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.startsWith("TrentService.") ? operations[target.slice("TrentService.".length)] : void 0;
    try {
      if (request.method !== "POST" || operation === void 0) throw new KmsError("UnknownOperationException", `unsupported operation ${target || "(none)"}`);
      let input;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      } catch {
        throw new KmsError("SerializationException", "the request body is not JSON");
      }
      reply(response, 200, await operation(input));
    } catch (error) {
      if (error instanceof KmsError) reply(response, error.status, { __type: error.type, message: error.message });
      else reply(response, 500, { __type: "KMSInternalException", message: error instanceof Error ? error.message : "internal error" });
    }
  }
  const sockets = /* @__PURE__ */ new Set();
  const server = createServer2((request, response) => void handle(request, response));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise((resolve3, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve3());
  });
  const port = server.address().port;
  return {
    url: `http://${host}:${port}`,
    port,
    faults,
    stats,
    close: () => new Promise((resolve3) => {
      server.close(() => resolve3());
      for (const socket of sockets) socket.destroy();
    })
  };
}

// local/dynamodb.ts
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
async function startLocalDynamo(options = {}) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options.dir ? { path: options.dir } : {} });
  const host = options.host ?? "127.0.0.1";
  await new Promise((resolve3, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve3());
  });
  const port = server.address().port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise((resolve3) => {
      server.close(() => resolve3());
      server.closeAllConnections();
    })
  };
}
async function ensureWatermarkTable(client, tableName) {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }]
      })
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === "ACTIVE") return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

// cli/local-stack.ts
var LOCAL_TABLE = "tezos-signer-watermarks";
var LOCAL_REGION = "us-east-1";
var LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
async function readState(file) {
  let text;
  try {
    text = await readFile2(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
  const state = JSON.parse(text);
  if (!Array.isArray(state.kmsKeyIds) || typeof state.authorizedSecretKey !== "string") {
    throw new Error(`${file} is damaged: expected kmsKeyIds and authorizedSecretKey`);
  }
  return state;
}
async function writeState(file, state) {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile2(temp, JSON.stringify(state, null, 2) + "\n", { mode: 384 });
  await rename2(temp, file);
}
async function startLocalStack(dataDir) {
  await mkdir2(dataDir, { recursive: true, mode: 448 });
  const dynamo = await startLocalDynamo({ dir: join2(dataDir, "dynamodb"), port: 0 });
  let kms;
  try {
    kms = await startLocalKms({ dir: join2(dataDir, "kms"), port: 0, region: LOCAL_REGION });
  } catch (error) {
    await dynamo.close();
    throw error;
  }
  const close = async () => {
    await Promise.allSettled([kms.close(), dynamo.close()]);
  };
  try {
    const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    await ensureWatermarkTable(new DynamoDBClient({ ...clientConfig, endpoint: dynamo.url }), LOCAL_TABLE);
    const stateFile = join2(dataDir, "signer.json");
    let state = await readState(stateFile);
    const created = state === void 0;
    if (state === void 0) {
      const { KeyMetadata } = await new KMSClient({ ...clientConfig, endpoint: kms.url }).send(
        new CreateKeyCommand({ KeyUsage: "SIGN_VERIFY", KeySpec: "ECC_SECG_P256K1", Description: "tezos-signer local consensus key" })
      );
      if (!KeyMetadata?.KeyId) throw new Error("local KMS did not return a key id");
      state = { kmsKeyIds: [KeyMetadata.KeyId], authorizedSecretKey: generateSecretKey("secp256k1").encoded };
      await writeState(stateFile, state);
    }
    return { kmsUrl: kms.url, dynamoUrl: dynamo.url, state, kms, created, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// cli/serve.ts
var instances = 0;
async function importHandler(bundle, env) {
  Object.assign(process.env, env);
  instances += 1;
  const url = `${pathToFileURL(resolve(bundle)).href}?instance=${instances}`;
  const module = await import(url);
  return module.handler;
}
async function startSigner(options) {
  let stack;
  const env = {};
  if (options.aws) {
    env["SIGNER_KMS_KEY_IDS"] = options.aws.kmsKeyIds.join(",");
    env["SIGNER_TABLE_NAME"] = options.aws.tableName;
    if (options.aws.region) env["AWS_REGION"] = options.aws.region;
  } else {
    stack = await startLocalStack(options.dataDir);
    Object.assign(env, {
      SIGNER_KMS_KEY_IDS: stack.state.kmsKeyIds.join(","),
      SIGNER_TABLE_NAME: LOCAL_TABLE,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: stack.kmsUrl,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoUrl
    });
  }
  const authorized = options.authorizedKeys ?? (stack ? [parseSecretKey(stack.state.authorizedSecretKey).publicKey.encoded] : []);
  env["SIGNER_AUTHORIZED_KEYS"] = authorized.join(",");
  env["SIGNER_ALLOWED_CHAIN_IDS"] = (options.allowedChainIds ?? []).join(",");
  let handler;
  try {
    handler = await importHandler(options.bundle, env);
  } catch (error) {
    await stack?.close();
    throw error;
  }
  const server = await serveHandler(handler, options.port, options.host).catch(async (error) => {
    await stack?.close();
    throw error;
  });
  return {
    url: server.url,
    port: server.port,
    env,
    stack,
    handlerUrl: options.bundle,
    close: async () => {
      await server.close();
      await stack?.close();
    }
  };
}

// cli/commands/serve.ts
var here = dirname(fileURLToPath(import.meta.url));
var DEFAULT_BUNDLE = resolve2(here, here.endsWith("commands") ? "../../lambda/dist/handler.mjs" : "../lambda/dist/handler.mjs");
var usage = `tezos-signer serve [options]

Starts the signer (the bundled Lambda handler) behind a local HTTP server.

Without --kms-key-id: an embedded stack (DynamoDB: dynalite; KMS: a local endpoint), kept under
--data-dir. The first start creates a tz2 consensus key and an authorized key.
With --kms-key-id and --table: real AWS, credentials from the standard chain (AWS_PROFILE, ...).

Options:
  --port N               listen port (env SIGNER_PORT, default 6732)
  --host H               listen address (default 127.0.0.1)
  --data-dir DIR         embedded stack data (env SIGNER_DATA_DIR, default .signer-data)
  --kms-key-id ID        a KMS key id or ARN to serve (repeatable; env SIGNER_KMS_KEY_IDS)
  --table NAME           DynamoDB watermark table (env SIGNER_TABLE_NAME)
  --region R             AWS region (env AWS_REGION)
  --authorized-key PK    authorized public key (repeatable; env SIGNER_AUTHORIZED_KEYS, comma-separated)
  --allowed-chain-id ID  refuse other chains (repeatable; env SIGNER_ALLOWED_CHAIN_IDS)
  --bundle FILE          handler bundle to run (default lambda/dist/handler.mjs)
  --json                 print the start-up facts as one JSON line instead of the guide
`;
function list(values, env) {
  if (values && values.length > 0) return values;
  const fromEnv = (env ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return fromEnv.length > 0 ? fromEnv : void 0;
}
async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
var serve = {
  name: "serve",
  summary: "run the signer locally (embedded stack, or real AWS with --kms-key-id/--table)",
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        "data-dir": { type: "string" },
        "kms-key-id": { type: "string", multiple: true },
        table: { type: "string" },
        region: { type: "string" },
        "authorized-key": { type: "string", multiple: true },
        "allowed-chain-id": { type: "string", multiple: true },
        bundle: { type: "string" },
        json: { type: "boolean", default: false }
      },
      strict: true
    });
    const port = Number(values.port ?? process.env["SIGNER_PORT"] ?? 6732);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: not a port number: ${values.port ?? process.env["SIGNER_PORT"]}`);
    const kmsKeyIds = list(values["kms-key-id"], process.env["SIGNER_KMS_KEY_IDS"]);
    const tableName = values.table ?? process.env["SIGNER_TABLE_NAME"];
    if (kmsKeyIds === void 0 !== (tableName === void 0)) {
      throw new UsageError("real AWS needs both --kms-key-id and --table (or neither, for the embedded stack)");
    }
    const dataDir = resolve2(values["data-dir"] ?? process.env["SIGNER_DATA_DIR"] ?? ".signer-data");
    const signer = await startSigner({
      port,
      host: values.host ?? "127.0.0.1",
      dataDir,
      aws: kmsKeyIds && tableName ? { kmsKeyIds, tableName, ...values.region ? { region: values.region } : {} } : void 0,
      authorizedKeys: list(values["authorized-key"], process.env["SIGNER_AUTHORIZED_KEYS"]),
      allowedChainIds: list(values["allowed-chain-id"], process.env["SIGNER_ALLOWED_CHAIN_IDS"]),
      bundle: values.bundle ?? DEFAULT_BUNDLE
    });
    let stopping = false;
    const stop = (signal) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`
${signal}: stopping the signer
`);
      signer.close().then(
        () => process.exit(EXIT.ok),
        () => process.exit(EXIT.failed)
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    const { known_keys: pkhs } = await getJson(`${signer.url}/known_keys`);
    const keys = await Promise.all(
      pkhs.map(async (pkh) => ({ pkh, publicKey: (await getJson(`${signer.url}/keys/${pkh}`)).public_key }))
    );
    const authorized = signer.stack ? parseSecretKey(signer.stack.state.authorizedSecretKey) : void 0;
    const usingLocalAuthorizedKey = authorized !== void 0 && signer.env["SIGNER_AUTHORIZED_KEYS"] === authorized.publicKey.encoded;
    if (values.json) {
      process.stdout.write(JSON.stringify({ url: signer.url, keys, authorizedKeys: signer.env["SIGNER_AUTHORIZED_KEYS"].split(","), dataDir: signer.stack ? dataDir : void 0 }) + "\n");
      return new Promise(() => void 0);
    }
    const lines = [
      `Tezos signer listening on ${signer.url}`,
      signer.stack ? `  embedded stack under ${dataDir}${signer.stack.created ? " (created now: new consensus key and authorized key)" : ""}` : `  AWS: table ${signer.env["SIGNER_TABLE_NAME"]}, region ${process.env["AWS_REGION"] ?? "(from the AWS config)"}`,
      "",
      ...keys.flatMap((k) => [`  consensus key ${k.pkh}`, `    public key  ${k.publicKey}`]),
      "",
      "Configure octez-client (or the baker host) to use it:",
      ...usingLocalAuthorizedKey ? [
        "  # 1. the authorized key, which authenticates each signing request",
        `  octez-client import secret key signer-auth unencrypted:${authorized.encoded}`
      ] : ["  # 1. import the secret key of one of the authorized keys into octez-client", `  #    authorized: ${signer.env["SIGNER_AUTHORIZED_KEYS"]}`],
      "  # 2. the consensus key, held by the signer",
      ...keys.map((k, i) => `  octez-client import secret key ${i === 0 ? "consensus" : `consensus-${i + 1}`} ${signer.url}/${k.pkh}`),
      "",
      "It signs only blocks, preattestations and attestations, once per level and round. Ctrl-C stops it."
    ];
    process.stdout.write(lines.join("\n") + "\n");
    return new Promise(() => void 0);
  }
};

// cli/main.ts
var COMMANDS = [serve];
function help() {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: tezos-signer <command> [options]   (--help on each command)",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    ""
  ].join("\n");
}
async function main(argv) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help());
    return name === void 0 ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === void 0) {
    process.stderr.write(`unknown command: ${name}

${help()}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || error.code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`tezos-signer ${name}: ${error.message}

${command.usage}`);
      return EXIT.usage;
    }
    process.stderr.write(`tezos-signer ${name}: ${error instanceof Error ? error.message : String(error)}
`);
    return EXIT.failed;
  }
}
export {
  COMMANDS,
  main
};
