// Built from cli/ by `npm run build`; do not edit.

// cli/main.ts
import { readFileSync as readFileSync2 } from "node:fs";

// cli/command.ts
var EXIT = {
  ok: 0,
  /** The check ran and found a problem (a refusal that should have been a signature, a mismatch). */
  failed: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** Could not reach the signer, KMS or DynamoDB. */
  unreachable: 3,
  /**
   * The AWS resources named do not work: a KMS key or table that does not exist or cannot be used
   * (disabled, pending deletion, not a signing key of a supported curve, another key schema, access
   * denied, credentials the service does not know). Starting again changes nothing: the systemd unit
   * (deploy/) does not restart on it.
   */
  config: 4
};
var UsageError = class extends Error {
};
var CommandFailure = class extends Error {
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
  exitCode;
};

// cli/data-lock.ts
import { readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
var LOCK_FILE = "serve.lock";
var DataDirBusy = class extends Error {
  constructor(dir, pid, holder) {
    super(`a running serve holds ${dir} (${holder}, pid ${pid}): stop it first (Ctrl-C in its terminal, or kill ${pid})`);
    this.dir = dir;
    this.pid = pid;
    this.holder = holder;
  }
  dir;
  pid;
  holder;
  name = "DataDirBusy";
};
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function readLock(file) {
  try {
    const content = JSON.parse(await readFile(file, "utf8"));
    return typeof content.pid === "number" ? { pid: content.pid, holder: String(content.holder ?? "tezos-signer") } : void 0;
  } catch {
    return void 0;
  }
}
async function holderOf(dir) {
  const held = await readLock(join(dir, LOCK_FILE));
  return held !== void 0 && alive(held.pid) ? new DataDirBusy(dir, held.pid, held.holder) : void 0;
}
async function lockDataDir(dir, holder) {
  const file = join(dir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, holder }) + "\n";
  for (let attempt2 = 0; attempt2 < 2; attempt2++) {
    try {
      await writeFile(file, content, { flag: "wx", mode: 384 });
      return {
        release: async () => {
          const now = await readLock(file);
          if (now?.pid === process.pid) await unlink(file).catch(() => void 0);
        }
      };
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    const held2 = await readLock(file);
    if (held2 !== void 0 && alive(held2.pid)) throw new DataDirBusy(dir, held2.pid, held2.holder);
    await unlink(file).catch(() => void 0);
  }
  const held = await readLock(file);
  throw new DataDirBusy(dir, held?.pid ?? 0, held?.holder ?? "another process");
}

// cli/stdout.ts
var closedListeners = [];
var guarded = false;
var closed = false;
function guardStdout(stream = process.stdout) {
  if (guarded) return;
  guarded = true;
  stream.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
    if (closed) return;
    closed = true;
    for (const listener of closedListeners) listener();
  });
}
function onStdoutClosed(listener) {
  if (closed) listener();
  else closedListeners.push(listener);
}

// cli/commands/authorized-key.ts
import { parseArgs } from "node:util";
import { writeFile as writeFile4 } from "node:fs/promises";

// cli/aws.ts
import { stat } from "node:fs/promises";
import { createRequire as createRequire2 } from "node:module";
import { join as join4 } from "node:path";
import { DynamoDBClient as DynamoDBClient2 } from "@aws-sdk/client-dynamodb";
import { KMSClient as KMSClient2 } from "@aws-sdk/client-kms";

// local/kms-server.ts
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { mkdir, readFile as readFile2, readdir, rename, writeFile as writeFile2 } from "node:fs/promises";
import { join as join2 } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";

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
function bytesToBigInt(bytes) {
  return bytes.length === 0 ? 0n : BigInt("0x" + toHex(bytes));
}

// local/listen.ts
import { isIP } from "node:net";
function localUrl(host, port) {
  if (host === "0.0.0.0") return `http://127.0.0.1:${port}`;
  if (host === "::") return `http://[::1]:${port}`;
  return isIP(host) === 6 ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}
async function listen(server, port = 0, host = "127.0.0.1") {
  await new Promise((resolve5, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve5();
    });
  });
  const bound = server.address().port;
  return { port: bound, url: localUrl(host, bound) };
}

// local/seen-signatures.ts
var SeenSignatures = class {
  /**
   * @param capacity the most signatures held at once; past it requests are refused (fail closed)
   *   rather than a signature forgotten while its request could still be replayed.
   */
  constructor(capacity = 2e5) {
    this.capacity = capacity;
  }
  capacity;
  /** signature → the time (ms) after which its request is refused as expired anyway. */
  seen = /* @__PURE__ */ new Map();
  nextSweep = 0;
  get size() {
    return this.seen.size;
  }
  has(signature2, now = Date.now()) {
    const until = this.seen.get(signature2);
    return until !== void 0 && until >= now;
  }
  /** Records `signature` until `until`; synchronous, so two copies racing cannot both be 'new'. */
  remember(signature2, until, now = Date.now()) {
    if (this.has(signature2, now)) return "replay";
    if (this.seen.size >= this.capacity || now >= this.nextSweep) this.sweep(now);
    if (this.seen.size >= this.capacity) return "full";
    this.seen.set(signature2, until);
    return "new";
  }
  /** Drops the signatures whose window has closed: at most once a second, or when full. */
  sweep(now) {
    this.nextSweep = now + 1e3;
    for (const [signature2, until] of this.seen) if (until < now) this.seen.delete(signature2);
  }
};

// local/sigv4.ts
import { randomBytes, timingSafeEqual } from "node:crypto";

// local/sigv4-sign.ts
import { createHash, createHmac } from "node:crypto";
function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}
function hmac(key, data) {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
function signature(secretAccessKey, scope, amzDate, canonical) {
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, credentialScope, sha256Hex(canonical)].join("\n");
  let key = hmac(`AWS4${secretAccessKey}`, scope.date);
  key = hmac(key, scope.region);
  key = hmac(key, scope.service);
  key = hmac(key, "aws4_request");
  return hmac(key, stringToSign).toString("hex");
}
function canonicalRequest(request, signedHeaders, bodyHash) {
  const question = request.url.indexOf("?");
  const path = question === -1 ? request.url : request.url.slice(0, question);
  const query = question === -1 ? "" : request.url.slice(question + 1);
  const headerLines = [...signedHeaders].sort().map((name) => {
    const value = request.headers[name];
    const text = Array.isArray(value) ? value.join(",") : value ?? "";
    return `${name}:${text.trim().replace(/\s+/g, " ")}
`;
  });
  return [request.method.toUpperCase(), canonicalPath(path), canonicalQuery(query), headerLines.join(""), [...signedHeaders].sort().join(";"), bodyHash].join("\n");
}
function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function canonicalPath(path) {
  const segments = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return encode(normalized).replace(/%2F/g, "/");
}
function canonicalQuery(query) {
  if (query === "") return "";
  const pairs = query.split("&").filter(Boolean).map((pair) => {
    const equals = pair.indexOf("=");
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    return [encode(safeDecode(name)), encode(safeDecode(value))];
  });
  pairs.sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0);
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}
function safeDecode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, "%20"));
  } catch {
    return text;
  }
}
function amzDateOf(now) {
  return new Date(now).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
function signedHeadersFor(request, credentials, scope, options = {}) {
  const amzDate = amzDateOf(options.now ?? Date.now());
  const bodyHash = sha256Hex(request.body);
  const headers = { host: request.url.host, "x-amz-date": amzDate };
  if (options.contentSha256) headers["x-amz-content-sha256"] = bodyHash;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const fullScope = { date: amzDate.slice(0, 8), region: scope.region, service: scope.service };
  const canonical = canonicalRequest({ method: request.method, url: `${request.url.pathname}${request.url.search}`, headers }, names, bodyHash);
  const value = signature(credentials.secretAccessKey, fullScope, amzDate, canonical);
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${fullScope.date}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=${names.join(";")}, Signature=${value}`
  };
}

// local/sigv4.ts
function randomCredentials() {
  return {
    accessKeyId: `LOCAL${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64")
  };
}
function hostOf(host, port) {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
function checkHost(headers, expected) {
  const host = headers.host;
  if (host === expected) return void 0;
  return { status: 403, type: "AccessDeniedException", message: `Host ${JSON.stringify(host ?? "")} is not this endpoint (${expected}): refused` };
}
var AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
var MAX_SKEW_MS = 5 * 60 * 1e3;
function checkAuthorizationHeader(headers, credentials, service) {
  const header = headers.authorization;
  if (header === void 0 || header === "") {
    return { status: 400, type: "MissingAuthenticationTokenException", message: "Request is missing Authentication Token" };
  }
  const match = AUTHORIZATION.exec(header);
  const scope = match?.[1]?.split("/");
  if (!match || scope?.length !== 5 || scope[4] !== "aws4_request") {
    return { status: 400, type: "IncompleteSignatureException", message: "Authorization header is not an AWS4-HMAC-SHA256 signature" };
  }
  const [accessKeyId, date, region, scopeService] = scope;
  if (!safeEqual(accessKeyId, credentials.accessKeyId)) {
    return { status: 400, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  }
  const signedHeaders = match[2].split(";");
  for (const required of ["host", "x-amz-date", ...headers["x-amz-target"] !== void 0 ? ["x-amz-target"] : []]) {
    if (!signedHeaders.includes(required)) {
      return { status: 400, type: "IncompleteSignatureException", message: `the signature must cover the ${required} header` };
    }
  }
  if (scopeService !== service) {
    return { status: 400, type: "InvalidSignatureException", message: `Credential should be scoped to correct service: '${service}'.` };
  }
  return { accessKeyId, date, region, service, signedHeaders, signature: match[3] };
}
function verifySignedParts(request, parsed, credentials, bodyHash, now) {
  const amzDate = single(request.headers["x-amz-date"]);
  const time = amzDate === void 0 ? NaN : parseAmzDate(amzDate);
  if (Number.isNaN(time) || amzDate.slice(0, 8) !== parsed.date) {
    return { status: 400, type: "IncompleteSignatureException", message: "X-Amz-Date is missing, malformed or outside the credential scope date" };
  }
  if (Math.abs(now - time) > MAX_SKEW_MS) {
    return { status: 400, type: "InvalidSignatureException", message: "Signature expired: the request time is more than 5 minutes from the server time." };
  }
  const expected = signature(credentials.secretAccessKey, parsed, amzDate, canonicalRequest(request, parsed.signedHeaders, bodyHash));
  if (!safeEqual(expected, parsed.signature)) {
    return {
      status: 400,
      type: "InvalidSignatureException",
      message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
    };
  }
  return { time };
}
var BODY_HASH_MISMATCH = { status: 400, type: "InvalidSignatureException", message: "The provided x-amz-content-sha256 header does not match what was computed." };
function verifyRequest(request, credentials, service, now = Date.now()) {
  const parsed = checkAuthorizationHeader(request.headers, credentials, service);
  if ("status" in parsed) return parsed;
  const bodyHash = sha256Hex(request.body);
  const declared = single(request.headers["x-amz-content-sha256"]);
  if (declared !== void 0 && declared !== bodyHash) return BODY_HASH_MISMATCH;
  const verified = verifySignedParts(request, parsed, credentials, bodyHash, now);
  return "status" in verified ? verified : void 0;
}
function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}
function single(value) {
  return Array.isArray(value) ? value[0] : value;
}
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
async function readBounded(stream, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk;
    size += buffer.length;
    if (size > limit) return void 0;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
var SHA256_HEX = /^[0-9a-f]{64}$/;
async function checkSigned(request, guard2, now = Date.now()) {
  const host = checkHost(request.headers, guard2.expectedHost);
  if (host) return host;
  const parsed = checkAuthorizationHeader(request.headers, guard2.credentials, guard2.service);
  if ("status" in parsed) return parsed;
  const declared = single(request.headers["x-amz-content-sha256"]);
  if (!parsed.signedHeaders.includes("x-amz-content-sha256") || declared === void 0 || !SHA256_HEX.test(declared)) {
    return { status: 400, type: "IncompleteSignatureException", message: "the signature must cover an x-amz-content-sha256 header holding the hex SHA-256 of the body" };
  }
  const parts = { method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers };
  const verified = verifySignedParts(parts, parsed, guard2.credentials, declared, now);
  if ("status" in verified) return verified;
  const remembered = guard2.seen.remember(parsed.signature, verified.time + MAX_SKEW_MS, now);
  if (remembered === "replay") return { status: 400, type: "InvalidSignatureException", message: "Signature already used: a replayed request is refused." };
  if (remembered === "full") return { status: 503, type: "ThrottlingException", message: `more than ${guard2.seen.capacity} signed requests within five minutes: refused rather than forget a signature` };
  const declaredLength = Number(single(request.headers["content-length"]) ?? 0);
  if (declaredLength > guard2.maxBodyBytes) return tooLarge(guard2.maxBodyBytes);
  const body = await readBounded(request, guard2.maxBodyBytes);
  if (body === void 0) return tooLarge(guard2.maxBodyBytes);
  return sha256Hex(body) === declared ? { body } : BODY_HASH_MISMATCH;
}
function tooLarge(limit) {
  return { status: 413, type: "ValidationException", message: `request body over ${limit} bytes` };
}

// local/kms-server.ts
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
  const raw = key.KeySpec === "ECC_NIST_EDWARDS25519" ? ed25519.getPublicKey(secret) : (key.KeySpec === "ECC_SECG_P256K1" ? secp256k1 : p256).getPublicKey(secret, false);
  return Uint8Array.from(Buffer.concat([Buffer.from(SPKI_PREFIX[key.KeySpec], "hex"), raw]));
}
function newSecret(spec) {
  if (spec === "ECC_NIST_EDWARDS25519") return ed25519.utils.randomSecretKey();
  return (spec === "ECC_SECG_P256K1" ? secp256k1 : p256).utils.randomSecretKey();
}
var KMS_MAX_REQUEST_BYTES = 8 * 1024;
async function startLocalKms(options) {
  const region = options.region ?? "us-east-1";
  const account = "000000000000";
  const arn = (id) => `arn:aws:kms:${region}:${account}:key/${id}`;
  const faults = options.faults ?? {};
  const stats = { createKey: 0, getPublicKey: 0, sign: 0, listKeys: 0, describeKey: 0, faultsInjected: 0 };
  const keys2 = /* @__PURE__ */ new Map();
  await mkdir(options.dir, { recursive: true, mode: 448 });
  const fileOf = (id) => join2(options.dir, `${id}.json`);
  async function load(id) {
    if (!/^[0-9a-f-]{36}$/.test(id)) return void 0;
    try {
      const key = JSON.parse(await readFile2(fileOf(id), "utf8"));
      keys2.set(id, key);
      return key;
    } catch {
      return void 0;
    }
  }
  for (const name of await readdir(options.dir)) if (name.endsWith(".json")) await load(name.slice(0, -5));
  async function find(keyId) {
    if (typeof keyId !== "string" || keyId === "") throw new KmsError("ValidationException", "KeyId is required");
    const id = keyId.startsWith("arn:") ? keyId.slice(keyId.lastIndexOf("/") + 1) : keyId;
    const key = keys2.get(id) ?? await load(id);
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
        KeyId: randomUUID(),
        KeySpec: spec,
        PrivateKey: toHex(newSecret(spec)),
        CreationDate: (/* @__PURE__ */ new Date()).toISOString(),
        Description: typeof input["Description"] === "string" ? input["Description"] : ""
      };
      const temp = `${fileOf(key.KeyId)}.tmp`;
      await writeFile2(temp, JSON.stringify(key, null, 2) + "\n", { mode: 384 });
      await rename(temp, fileOf(key.KeyId));
      keys2.set(key.KeyId, key);
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
      let signature2;
      if (key.KeySpec === "ECC_NIST_EDWARDS25519") {
        if (algorithm === "ED25519_SHA_512" && messageType !== "RAW") {
          throw new KmsError("ValidationException", "ED25519_SHA_512 signs RAW messages only");
        }
        if (algorithm === "ED25519_PH_SHA_512") throw new KmsError("UnsupportedOperationException", "ED25519_PH_SHA_512 is not implemented by this local KMS");
        signature2 = ed25519.sign(message, applied?.kind === "wrong-key" ? ed25519.utils.randomSecretKey() : secret);
      } else {
        if (messageType === "DIGEST") {
          if (message.length !== 32) throw new KmsError("ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256.");
        } else if (messageType === "RAW") {
          message = Uint8Array.from((await import("node:crypto")).createHash("sha256").update(message).digest());
        } else {
          throw new KmsError("ValidationException", `MessageType ${String(messageType)} is not supported`);
        }
        const curve = key.KeySpec === "ECC_SECG_P256K1" ? secp256k1 : p256;
        const signer = applied?.kind === "wrong-key" ? curve.utils.randomSecretKey() : secret;
        signature2 = curve.sign(message, signer, { prehash: false, lowS: false, extraEntropy: true, format: "der" });
      }
      if (applied?.kind === "malformed-der") signature2 = Uint8Array.from([48, 6, 2, 1, 0, 2, 1]);
      return { KeyId: arn(key.KeyId), Signature: Buffer.from(signature2).toString("base64"), SigningAlgorithm: algorithm };
    },
    async ListKeys() {
      stats.listKeys += 1;
      const ids = [...keys2.keys()].sort();
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
    response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(text), "x-amzn-requestid": randomUUID() });
    response.end(text);
  };
  async function handle(request, response) {
    const refused = await checkSigned(request, { credentials: options.credentials, service: "kms", expectedHost, maxBodyBytes: KMS_MAX_REQUEST_BYTES, seen });
    if ("status" in refused) {
      response.setHeader("connection", "close");
      return reply(response, refused.status, { __type: refused.type, message: refused.message });
    }
    const chunks = [refused.body];
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
  let expectedHost = "";
  const seen = new SeenSignatures();
  const sockets = /* @__PURE__ */ new Set();
  const server = createServer((request, response) => void handle(request, response));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const { port, url } = await listen(server, options.port, options.host);
  expectedHost = hostOf(options.host ?? "127.0.0.1", port);
  return {
    url,
    port,
    faults,
    stats,
    close: () => new Promise((resolve5) => {
      server.close(() => resolve5());
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

// lazy-dynalite:dynalite
import { createRequire } from "node:module";
function dynalite(options) {
  return createRequire(import.meta.url)("dynalite")(options);
}

// local/dynamodb.ts
import { PassThrough } from "node:stream";
var DYNAMODB_MAX_REQUEST_BYTES = 8 * 1024;
function guard(server, credentials, expectedHost) {
  const seen = new SeenSignatures();
  const inner = server.listeners("request")[0];
  if (inner === void 0) throw new Error("dynalite has no request listener to guard");
  server.removeAllListeners("request");
  server.on("request", (request, response) => {
    void (async () => {
      const checked = await checkSigned(request, { credentials, service: "dynamodb", expectedHost: expectedHost(), maxBodyBytes: DYNAMODB_MAX_REQUEST_BYTES, seen });
      if ("status" in checked) {
        if (response.destroyed) return;
        const body = JSON.stringify({ __type: `com.amazon.coral.service#${checked.type}`, message: checked.message });
        response.writeHead(checked.status, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body), connection: "close" });
        response.end(body);
        return;
      }
      const replay = Object.assign(new PassThrough(), { headers: request.headers, method: request.method, url: request.url, httpVersion: request.httpVersion });
      inner(replay, response);
      replay.end(checked.body);
    })();
  });
}
async function startLocalDynamo(options) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options.dir ? { path: options.dir } : {} });
  let expectedHost = "";
  guard(server, options.credentials, () => expectedHost);
  const { port, url } = await listen(server, options.port, options.host);
  expectedHost = hostOf(options.host ?? "127.0.0.1", port);
  return {
    url,
    port,
    close: () => new Promise((resolve5) => {
      server.close(() => resolve5());
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
  for (let attempt2 = 0; attempt2 < 100; attempt2++) {
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
import { mkdir as mkdir2, readFile as readFile3, writeFile as writeFile3, rename as rename2 } from "node:fs/promises";
import { join as join3 } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";

// local/secret-keys.ts
import { ed25519 as ed255194 } from "@noble/curves/ed25519.js";
import { p256 as p2565 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k15 } from "@noble/curves/secp256k1.js";

// lambda/src/base58.ts
import bs58check from "bs58check";
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
  // edsk(98): the 64-byte expanded key (seed || public key); edsk(54): the 32-byte seed.
  edsk: prefix("edsk", "2bf64e07", 64),
  edskSeed: prefix("edsk", "0d0f3a07", 32),
  spsk: prefix("spsk", "11a2e0c9", 32),
  p2sk: prefix("p2sk", "1051eebd", 32)
};
function b58encode(p, payload) {
  if (payload.length !== p.payloadLength) {
    throw new RangeError(`${p.name} payload must be ${p.payloadLength} bytes, got ${payload.length}`);
  }
  return bs58check.encode(concatBytes(p.bytes, payload));
}
var BASE58 = /^[1-9A-HJ-NP-Za-km-z]*$/;
function maxEncodedLength(bytes) {
  return Math.ceil(bytes * 8 / Math.log2(58));
}
function b58decode(p, text) {
  if (text.length > maxEncodedLength(p.bytes.length + p.payloadLength + 4) || !BASE58.test(text)) return void 0;
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
function blake2b256(data) {
  return blake2b(data, { dkLen: 32 });
}
function blake2b160(data) {
  return blake2b(data, { dkLen: 20 });
}

// lambda/src/keys.ts
import { ed25519 as ed255192 } from "@noble/curves/ed25519.js";
import { p256 as p2562 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k12 } from "@noble/curves/secp256k1.js";
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
    ed255192.Point.fromBytes(bytes);
    verifyBytes = bytes;
  } else {
    if (bytes.length !== 33) throw new TypeError("a compressed public key is 33 bytes");
    const point = (curve === "secp256k1" ? secp256k12 : p2562).Point.fromBytes(bytes);
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
function parsePublicKey(text) {
  for (const curve of ALL_CURVES) {
    const bytes = b58decode(CURVES[curve].publicKey, text);
    if (bytes !== void 0) {
      try {
        return publicKeyFromBytes(curve, bytes);
      } catch {
        throw new TypeError(`${text.slice(0, 8)}… is not a point on ${curve}`);
      }
    }
  }
  if (/^(edsk|spsk|p2sk|edesk|spesk|p2esk)/.test(text)) {
    throw new TypeError(`a secret key (${text.slice(0, 4)}…) was given where a public key belongs; give its edpk/sppk/p2pk public key`);
  }
  throw new TypeError(`not an edpk, sppk or p2pk public key: ${JSON.stringify(text.slice(0, 60))}`);
}
function parseKeyHash(text) {
  for (const curve of ALL_CURVES) {
    const hash = b58decode(CURVES[curve].pkh, text);
    if (hash !== void 0) return { curve, hash, encoded: text };
  }
  return void 0;
}
var SPKI_PREFIX2 = {
  secp256k1: "3056301006072a8648ce3d020106052b8104000a034200",
  p256: "3059301306072a8648ce3d020106082a8648ce3d030107034200",
  ed25519: "302a300506032b6570032100"
};
function publicKeyFromSpki(der) {
  const hex = toHex(der);
  for (const curve of ALL_CURVES) {
    const prefix2 = SPKI_PREFIX2[curve];
    if (!hex.startsWith(prefix2)) continue;
    const raw = der.slice(prefix2.length / 2);
    if (curve === "ed25519") {
      if (raw.length !== 32) break;
      return publicKeyFromBytes(curve, raw);
    }
    if (raw.length !== 65 || raw[0] !== 4) break;
    const point = (curve === "secp256k1" ? secp256k12 : p2562).Point.fromBytes(raw);
    return publicKeyFromBytes(curve, point.toBytes(true));
  }
  throw new TypeError(`unsupported public key (${der.length} bytes of DER): expected secp256k1, P-256 or Ed25519`);
}

// lambda/src/candidates.ts
import { p256 as p2563 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k13 } from "@noble/curves/secp256k1.js";

// lambda/src/errors.ts
var SignerError = class extends Error {
};
var InternalError = class extends SignerError {
  status = 500;
  reason = "internal";
};
var UpstreamFailure = class extends SignerError {
  status = 503;
  reason = "upstream";
};

// lambda/src/signature.ts
import { ed25519 as ed255193 } from "@noble/curves/ed25519.js";
import { p256 as p2564 } from "@noble/curves/nist.js";
import { secp256k1 as secp256k14 } from "@noble/curves/secp256k1.js";
function encodeSignature(curve, signature2) {
  return b58encode(CURVES[curve].signature, signature2);
}
function decodeSignature(text) {
  for (const curve of Object.keys(CURVES)) {
    const bytes2 = b58decode(CURVES[curve].signature, text);
    if (bytes2 !== void 0) return { curve, bytes: bytes2 };
  }
  const bytes = b58decode(PREFIX.sig, text);
  return bytes === void 0 ? void 0 : { curve: void 0, bytes };
}
var POINTS = /* @__PURE__ */ new WeakMap();
var WINDOW = 6;
var TABLE_AFTER = 32;
function entryOf(curve, key) {
  let entry = POINTS.get(key);
  if (entry === void 0) {
    entry = { point: curve.Point.fromBytes(key.verifyBytes), uses: 0, table: false };
    POINTS.set(key, entry);
  }
  return entry;
}
function verifyEcdsa(curve, key, digest, signature2, lowS) {
  const Fn = curve.Point.Fn;
  const r = bytesToBigInt(signature2.subarray(0, 32));
  const s = bytesToBigInt(signature2.subarray(32, 64));
  if (!Fn.isValidNot0(r) || !Fn.isValidNot0(s)) return false;
  if (lowS && s > Fn.ORDER >> 1n) return false;
  const e = Fn.create(bytesToBigInt(digest));
  const w = Fn.inv(s);
  const entry = entryOf(curve, key);
  const R = curve.Point.BASE.multiplyUnsafe(Fn.create(e * w)).add(entry.point.multiplyUnsafe(Fn.create(r * w)));
  if (R.is0() || Fn.create(R.toAffine().x) !== r) return false;
  if (!entry.table && ++entry.uses >= TABLE_AFTER) {
    entry.point.precompute(WINDOW, false);
    entry.table = true;
  }
  return true;
}
function verifySignature(key, digest, signature2, meter) {
  if (signature2.length !== 64 || digest.length !== 32) return false;
  meter?.("verify");
  try {
    switch (key.curve) {
      case "ed25519":
        return ed255193.verify(signature2, digest, key.verifyBytes, { zip215: false });
      case "secp256k1":
        return verifyEcdsa(secp256k14, key, digest, signature2, true);
      case "p256":
        return verifyEcdsa(p2564, key, digest, signature2, false);
    }
  } catch {
    return false;
  }
}

// lambda/src/auth.ts
var AUTH_MAGIC = Uint8Array.of(4, 1);
var MAX_AUTHENTICATION_LENGTH = maxEncodedLength(5 + 64 + 4);
function authenticationBytes(signer, payload) {
  return concatBytes(AUTH_MAGIC, Uint8Array.of(CURVES[signer.curve].tag), signer.hash, payload);
}

// local/secret-keys.ts
var ECDSA = { secp256k1: secp256k15, p256: p2565 };
function secretKeyFromBytes(curve, secret) {
  if (secret.length !== 32) throw new TypeError("a secret key is 32 bytes");
  const publicBytes = curve === "ed25519" ? ed255194.getPublicKey(secret) : ECDSA[curve].getPublicKey(secret, true);
  const prefix2 = curve === "ed25519" ? PREFIX.edskSeed : curve === "secp256k1" ? PREFIX.spsk : PREFIX.p2sk;
  return { curve, secret, encoded: b58encode(prefix2, secret), publicKey: publicKeyFromBytes(curve, publicBytes) };
}
function generateSecretKey(curve = "secp256k1") {
  const secret = curve === "ed25519" ? ed255194.utils.randomSecretKey() : ECDSA[curve].utils.randomSecretKey();
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
function signDigestWith(key, digest) {
  if (key.curve === "ed25519") return ed255194.sign(digest, key.secret);
  return ECDSA[key.curve].sign(digest, key.secret, { prehash: false, lowS: true, extraEntropy: true });
}
function authenticationFor(key, signer, payload) {
  return encodeSignature(key.curve, signDigestWith(key, blake2b256(authenticationBytes(signer, payload))));
}

// cli/local-stack.ts
var LOCAL_TABLE = "tezos-signer-watermarks";
var LOCAL_REGION = "us-east-1";
async function readState(file) {
  let text;
  try {
    text = await readFile3(file, "utf8");
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
  await writeFile3(temp, JSON.stringify(state, null, 2) + "\n", { mode: 384 });
  await rename2(temp, file);
}
async function startLocalStack(dataDir) {
  await mkdir2(dataDir, { recursive: true, mode: 448 });
  const lock = await lockDataDir(dataDir, "tezos-signer serve");
  const credentials = randomCredentials();
  let dynamo;
  let kms;
  try {
    dynamo = await startLocalDynamo({ dir: join3(dataDir, "dynamodb"), port: 0, credentials });
    kms = await startLocalKms({ dir: join3(dataDir, "kms"), port: 0, region: LOCAL_REGION, credentials }).catch(async (error) => {
      await dynamo.close();
      throw error;
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const close = async () => {
    await Promise.allSettled([kms.close(), dynamo.close()]);
    await lock.release();
  };
  try {
    const clientConfig = { region: LOCAL_REGION, credentials };
    await ensureWatermarkTable(new DynamoDBClient({ ...clientConfig, endpoint: dynamo.url }), LOCAL_TABLE);
    const stateFile = join3(dataDir, "signer.json");
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
    return { kmsUrl: kms.url, dynamoUrl: dynamo.url, state, kms, credentials, created, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// cli/aws-errors.ts
var NAMES_CONFIG = /* @__PURE__ */ new Set([
  "NotFoundException",
  "ResourceNotFoundException",
  "InvalidArnException",
  "ValidationException",
  "KMSInvalidStateException",
  "DisabledException",
  "InvalidKeyUsageException",
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException"
]);
function awsExitCode(error) {
  const e = error ?? {};
  const name = e.name ?? "";
  const message = e.message ?? "";
  if (NAMES_CONFIG.has(name)) return EXIT.config;
  if (/Region is missing/i.test(message) || name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) return EXIT.usage;
  if (e.$metadata?.httpStatusCode !== void 0) return EXIT.failed;
  return EXIT.unreachable;
}
function hint(error) {
  if (/Region is missing/i.test(error.message ?? "")) return ": give --region R (or set AWS_REGION), or --data-dir DIR for the embedded stack of `serve`";
  if (error.name === "CredentialsProviderError" || /Could not load credentials/i.test(error.message ?? "")) return ": no AWS credentials (AWS_PROFILE, environment, SSO, instance role)";
  return "";
}
function awsFailure(where2, error) {
  const e = error ?? {};
  const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
  return new CommandFailure(`${where2}: ${name}${e.message ?? String(error)}${hint(e)}`, awsExitCode(error));
}

// cli/aws.ts
async function existingPart(dataDir, part) {
  const dir = join4(dataDir, part);
  const found = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!found) throw new UsageError(`--data-dir ${dataDir}: no embedded stack there (no ${part}/ folder); check the path (\`serve --data-dir DIR\` creates one on its first start)`);
  return dir;
}
async function regionOf(client, service) {
  try {
    return await client.config.region();
  } catch (error) {
    throw awsFailure(service, error);
  }
}
async function kmsTarget(options) {
  if (options.dataDir) {
    const credentials = randomCredentials();
    const kms = await startLocalKms({ dir: await existingPart(options.dataDir, "kms"), port: 0, region: LOCAL_REGION, credentials });
    const client2 = new KMSClient2({ region: LOCAL_REGION, credentials, endpoint: kms.url });
    return { client: client2, where: `local KMS under ${options.dataDir}`, close: async () => (client2.destroy(), kms.close()) };
  }
  const client = new KMSClient2(options.region ? { region: options.region } : {});
  const region = await regionOf(client, "KMS").catch((error) => {
    client.destroy();
    throw error;
  });
  return { client, where: `KMS in ${region}`, close: async () => client.destroy() };
}
function dynaliteMissing(error, what) {
  if (error.code !== "MODULE_NOT_FOUND" || !/dynalite/.test(error.message)) return void 0;
  return new CommandFailure(`${what} needs dynalite (the embedded DynamoDB), a development dependency: run it from a checkout of the repository after npm ci`, EXIT.usage);
}
function assertDynalite(what) {
  try {
    createRequire2(import.meta.url).resolve("dynalite");
  } catch (error) {
    throw dynaliteMissing(error, what) ?? error;
  }
}
async function openLocalDynamo(dir, credentials) {
  try {
    return await startLocalDynamo({ dir, port: 0, credentials });
  } catch (error) {
    throw dynaliteMissing(error, "--data-dir") ?? error;
  }
}
async function dynamoTarget(options) {
  if (options.dataDir) {
    const dir = await existingPart(options.dataDir, "dynamodb");
    const credentials = randomCredentials();
    const lock = await lockDataDir(options.dataDir, "tezos-signer watermarks");
    let dynamo;
    try {
      dynamo = await openLocalDynamo(dir, credentials);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const client2 = new DynamoDBClient2({ region: LOCAL_REGION, credentials, endpoint: dynamo.url });
    return {
      client: client2,
      table: options.table ?? LOCAL_TABLE,
      where: `embedded DynamoDB under ${options.dataDir}`,
      close: async () => {
        client2.destroy();
        await dynamo.close();
        await lock.release();
      }
    };
  }
  if (!options.table) throw new UsageError("--table is required with real AWS (the watermark table name: terraform output table_name), or --data-dir DIR for the embedded stack");
  const client = new DynamoDBClient2(options.region ? { region: options.region } : {});
  await regionOf(client, "DynamoDB").catch((error) => {
    client.destroy();
    throw error;
  });
  return { client, table: options.table, where: `DynamoDB table ${options.table}`, close: async () => client.destroy() };
}
function printJson(value) {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

// cli/commands/authorized-key.ts
var usage = `tezos-signer authorized-key new [--curve secp256k1|p256|ed25519] [--alias NAME] [--out FILE] [--json]

Generates the baker's authorized key: the key octez-client uses to authenticate every signing request.
Prints the public key, for the Terraform variable authorized_keys (or SIGNER_AUTHORIZED_KEYS), and the
octez-client command that imports the secret key on the baker host. The secret key belongs on the baker
host only: with --out it is written to FILE (mode 0600, never overwritten) instead of the terminal.
Exit codes: 0 written; 2 usage (FILE exists, or its folder does not).
`;
var authorizedKey = {
  name: "authorized-key",
  summary: "generate the baker's authorized key (`authorized-key new`)",
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { curve: { type: "string", default: "secp256k1" }, alias: { type: "string", default: "signer-auth" }, out: { type: "string" }, json: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true
    });
    if (positionals[0] !== "new" || positionals.length !== 1) throw new UsageError("expected `authorized-key new`");
    const curve = values.curve;
    if (!["secp256k1", "p256", "ed25519"].includes(curve)) throw new UsageError(`--curve: one of secp256k1, p256, ed25519 (got ${values.curve})`);
    const key = generateSecretKey(curve);
    const importCommand = `octez-client import secret key ${values.alias} unencrypted:${values.out ? `$(cat ${values.out})` : key.encoded}`;
    if (values.out) {
      try {
        await writeFile4(values.out, key.encoded + "\n", { mode: 384, flag: "wx" });
      } catch (error) {
        const code = error.code;
        throw new UsageError(`--out ${values.out}: ${code === "EEXIST" ? "the file exists (never overwritten): choose another path" : code === "ENOENT" ? "its folder does not exist" : error.message}`);
      }
    }
    const facts = { publicKey: key.publicKey.encoded, pkh: key.publicKey.pkh.encoded, curve, secretKeyFile: values.out, secretKey: values.out ? void 0 : key.encoded, importCommand };
    if (values.json) {
      printJson(facts);
      return EXIT.ok;
    }
    process.stdout.write(
      [
        `authorized key ${key.publicKey.pkh.encoded} (${curve})`,
        "",
        "Public key, for Terraform (authorized_keys = [...]) or SIGNER_AUTHORIZED_KEYS:",
        `  ${key.publicKey.encoded}`,
        "",
        "On the baker host only, import the secret key into octez-client:",
        `  ${importCommand}`,
        values.out ? `(secret key written to ${values.out}, mode 0600)` : "(this is the only copy of the secret key: store it on the baker host, nowhere else)",
        ""
      ].join("\n")
    );
    return EXIT.ok;
  }
};

// cli/commands/check.ts
import { parseArgs as parseArgs2 } from "node:util";
import { readFile as readFile4 } from "node:fs/promises";

// lambda/src/self-test.ts
var SELF_TEST_CHAIN_ID = new Uint8Array(4);
var ATTESTATION_MAGIC = 19;
var TAG_ATTESTATION = 21;
function selfTestPayload(round) {
  if (!Number.isInteger(round) || round < 0 || round > 2147483647) throw new RangeError(`self-test round ${round} is not an int32 >= 0`);
  const payload = new Uint8Array(80);
  payload[0] = ATTESTATION_MAGIC;
  payload[37] = TAG_ATTESTATION;
  new DataView(payload.buffer).setInt32(44, round);
  return payload;
}

// cli/commands/check.ts
var usage2 = `tezos-signer check <url> (--authorized-key-file F | --authorized-secret-key SK) [--pkh PKH] [--json]

Proves that a deployed signer can sign, and refuses what it must, without moving a watermark a baker
uses:
  - GET /authorized_keys serves the authorized key's pkh
  - GET /known_keys lists the consensus key(s); GET /keys/<pkh> serves a public key that hashes to it
  - POST of a transfer (magic 0x03), correctly authenticated: refused with 403 by the payload policy
  - the self-test: an authenticated attestation at level 0 of chain 0x00000000 (no network's) is signed
    through the whole path, the watermark table read, KMS Sign and the conditional write, and the
    signature verifies against the public key; a failure names the broken part (the table missing or
    unreadable, the table not writable, the key disabled or not signable by the role). It writes only
    its own watermark item, never a baker's (docs/security.md, "The self-test of check")
  - POST of a consensus payload without authentication: refused with 401
The transfer and the self-test are skipped when the signer does not list the authorized key: they would
only fail authentication, and count as an attack in the AuthFailures metric.
Prints the latency of each call. Exit 0: all as expected; 1: an expectation failed (or was skipped);
2: usage; 3: unreachable.
The unauthenticated probe counts one AuthFailures per consensus key and run: with the module's default
alarm (more than 5 in 5 minutes), run check by hand or at most once a minute.
`;
var TRANSFER = "03" + "5a".repeat(32) + "6c00" + "11".repeat(60);
var UNAUTHENTICATED = "13" + "00".repeat(36) + "15" + "00".repeat(42);
function errorMessage(body) {
  if (Array.isArray(body) && typeof body[0]?.msg === "string") return body[0].msg;
  return typeof body === "string" ? body : JSON.stringify(body);
}
var POLICY_REFUSAL = "an authenticated transfer is refused by the payload policy (403)";
var SELF_TEST = "the self-test is signed through the watermark table and KMS, and verifies";
function brokenPart(status, message) {
  if (/^DynamoDB read/.test(message)) return `the watermark table is missing or the signer role cannot read it: ${message}`;
  if (/^DynamoDB write/.test(message)) return `the signer role cannot write the watermark table: ${message}`;
  if (/^KMS Sign failed/.test(message)) return `KMS does not sign with the key: it is disabled, pending deletion, or the signer role may not kms:Sign it: ${message}`;
  if (/^KMS (GetPublicKey|key)/.test(message)) return `KMS does not serve the key's public key: ${message}`;
  if (/^KMS Sign returned/.test(message)) return `KMS answered with an unusable signature: ${message}`;
  if (status === 403 && /allowed chains/.test(message)) return `the signer refuses the self-test position: it runs a version without the self-test (upgrade it): ${message}`;
  return `HTTP ${status}: ${message}`;
}
async function selfTest(base, pkh, hash, key, publicKey) {
  let last = { status: 0, body: void 0, ms: 0 };
  for (let attempt2 = 0; attempt2 < 2; attempt2++) {
    if (attempt2 > 0) await new Promise((resolve5) => setTimeout(resolve5, 1100));
    const payload = selfTestPayload(Math.floor(Date.now() / 1e3));
    const authentication = authenticationFor(key, hash, payload);
    last = await call(`${base}/keys/${pkh}?authentication=${encodeURIComponent(authentication)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(toHex(payload)) });
    if (last.status === 409) continue;
    const signature2 = last.body.signature;
    if (last.status === 200 && typeof signature2 === "string") {
      const decoded = decodeSignature(signature2);
      const verifies = decoded !== void 0 && verifySignature(publicKey, blake2b256(payload), decoded.bytes);
      return { ok: verifies, detail: verifies ? signature2 : `the signature ${signature2} does not verify against ${publicKey.encoded}`, ms: last.ms };
    }
    return { ok: false, detail: brokenPart(last.status, errorMessage(last.body)), ms: last.ms };
  }
  return { ok: false, detail: `HTTP 409 twice: the self-test position is already above this second (another check running, or this host's clock behind): ${errorMessage(last.body)}`, ms: last.ms };
}
async function call(url, init) {
  const start = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15e3) });
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
  }
  return { status: response.status, body, ms: performance.now() - start };
}
function signerUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not an http(s) URL: ${text} (expected http://host:port or https://…)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`not an http(s) URL: ${text} (expected http://host:port or https://…)`);
  return url;
}
async function runChecks(url, key, onlyPkh) {
  const base = url.replace(/\/+$/, "");
  const results = [];
  const add = (check2, ok, detail, ms) => results.push({ check: check2, ok, detail, ms });
  const authorized = await call(`${base}/authorized_keys`);
  const list2 = authorized.body.authorized_keys ?? [];
  const keyServed = authorized.status === 200 && list2.includes(key.publicKey.pkh.encoded);
  add("GET /authorized_keys serves the authorized key", keyServed, `HTTP ${authorized.status}: ${JSON.stringify(authorized.body)}`, authorized.ms);
  const known = await call(`${base}/known_keys`);
  const pkhs = (known.body.known_keys ?? []).filter((p) => onlyPkh === void 0 || p === onlyPkh);
  add("GET /known_keys lists consensus keys", known.status === 200 && pkhs.length > 0, `HTTP ${known.status}: ${JSON.stringify(known.body)}`, known.ms);
  for (const pkh of pkhs) {
    const got = await call(`${base}/keys/${pkh}`);
    const publicKey = got.body.public_key ?? "";
    let matches = false;
    try {
      matches = parsePublicKey(publicKey).pkh.encoded === pkh;
    } catch {
      matches = false;
    }
    add(`GET /keys/${pkh}: the public key hashes to the pkh`, got.status === 200 && matches, publicKey || `HTTP ${got.status}`, got.ms);
    const hash = parseKeyHash(pkh);
    if (!keyServed || hash === void 0) {
      results.push({ check: POLICY_REFUSAL, ok: false, skipped: true, detail: `skipped: ${hash === void 0 ? `${pkh} is not a tz address` : `the signer does not list ${key.publicKey.pkh.encoded} as authorized, so the request would fail authentication (and count in AuthFailures)`}`, ms: 0 });
    } else {
      const authentication = authenticationFor(key, hash, fromHex(TRANSFER));
      const transfer = await call(`${base}/keys/${pkh}?authentication=${encodeURIComponent(authentication)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(TRANSFER) });
      const message = errorMessage(transfer.body);
      const byPolicy = transfer.status === 403 && !/^authentication/.test(message) && !JSON.stringify(transfer.body).includes('"signature"');
      add(POLICY_REFUSAL, byPolicy, transfer.status === 403 && !byPolicy ? `refused by authentication, not by the payload policy: ${message}` : `HTTP ${transfer.status}: ${message}`, transfer.ms);
    }
    let served;
    try {
      served = matches ? parsePublicKey(publicKey) : void 0;
    } catch {
      served = void 0;
    }
    if (!keyServed || hash === void 0 || served === void 0) {
      const why = !keyServed ? `the signer does not list ${key.publicKey.pkh.encoded} as authorized, so the request would fail authentication (and count in AuthFailures)` : `no public key for ${pkh} to verify against`;
      results.push({ check: SELF_TEST, ok: false, skipped: true, detail: `skipped: ${why}`, ms: 0 });
    } else {
      results.push({ check: SELF_TEST, ...await selfTest(base, pkh, hash, key, served) });
    }
    const bare = await call(`${base}/keys/${pkh}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(UNAUTHENTICATED) });
    add("an unauthenticated request is refused (401)", bare.status === 401, `HTTP ${bare.status}`, bare.ms);
  }
  return results;
}
var check = {
  name: "check",
  summary: "prove a deployed signer can sign (a self-test position) and refuses what it must",
  usage: usage2,
  async run(argv) {
    const { values, positionals } = parseArgs2({
      args: argv,
      options: { "authorized-key-file": { type: "string" }, "authorized-secret-key": { type: "string" }, pkh: { type: "string" }, json: { type: "boolean", default: false } },
      allowPositionals: true,
      strict: true
    });
    const url = positionals[0];
    if (!url || positionals.length !== 1) throw new UsageError("expected one URL");
    signerUrl(url);
    if (values.pkh !== void 0 && parseKeyHash(values.pkh) === void 0) throw new UsageError(`--pkh: not a tz1/tz2/tz3 address: ${values.pkh}`);
    const file = values["authorized-key-file"];
    const secret = values["authorized-secret-key"] ?? (file ? (await readFile4(file, "utf8").catch((error) => {
      throw new UsageError(`--authorized-key-file ${file}: cannot read it (${error.code ?? error.message})`);
    })).trim() : void 0);
    if (!secret) throw new UsageError("give the authorized key: --authorized-key-file F or --authorized-secret-key SK");
    let key;
    try {
      key = parseSecretKey(secret);
    } catch (error) {
      throw new UsageError(error.message);
    }
    let results;
    try {
      results = await runChecks(url, key, values.pkh);
    } catch (error) {
      process.stderr.write(`tezos-signer check: ${url} unreachable: ${error.message}
`);
      return EXIT.unreachable;
    }
    const ok = results.every((r) => r.ok);
    if (values.json) printJson({ url, ok, results });
    else {
      for (const r of results) process.stdout.write(`${r.ok ? "ok  " : r.skipped ? "SKIP" : "FAIL"} ${r.check}${r.skipped ? "" : ` (${r.ms.toFixed(0)} ms)`}${r.ok ? "" : `
     ${r.detail}`}
`);
      process.stdout.write(ok ? "all checks passed; no baker watermark was touched (the self-test writes only its own item)\n" : `${results.some((r) => r.skipped) ? "some checks failed or were skipped" : "some checks failed"}
`);
    }
    return ok ? EXIT.ok : EXIT.failed;
  }
};

// cli/commands/keys.ts
import { parseArgs as parseArgs3 } from "node:util";
import { resolve } from "node:path";

// cli/kms-keys.ts
import { DescribeKeyCommand, GetPublicKeyCommand, ListKeysCommand } from "@aws-sdk/client-kms";
var SPECS = ["ECC_SECG_P256K1", "ECC_NIST_P256", "ECC_NIST_EDWARDS25519"];
async function consensusKeys(client, ids) {
  let chosen = ids;
  if (chosen.length === 0) {
    const { Keys = [] } = await client.send(new ListKeysCommand({ Limit: 1e3 }));
    const described = await Promise.all(Keys.map((k) => client.send(new DescribeKeyCommand({ KeyId: k.KeyId }))));
    chosen = described.map((d) => d.KeyMetadata).filter((m) => m?.KeyUsage === "SIGN_VERIFY" && SPECS.includes(m.KeySpec ?? "") && m.KeyState === "Enabled").map((m) => m.KeyId);
  }
  return Promise.all(
    chosen.map(async (id) => {
      const { PublicKey, KeyId } = await client.send(new GetPublicKeyCommand({ KeyId: id }));
      const key = publicKeyFromSpki(PublicKey);
      return { pkh: key.pkh.encoded, publicKey: key.encoded, keyId: KeyId ?? id, curve: key.curve };
    })
  );
}

// cli/commands/keys.ts
var usage3 = `tezos-signer keys [--kms-key-id ID ...] [--region R | --data-dir DIR] [--json]

Lists the consensus keys of a deployment from KMS: tz address (pkh), public key, key id, curve.
Without --kms-key-id, every enabled SIGN_VERIFY key of a supported spec in the account and region
(ListKeys). Credentials and region come from the standard AWS chain (AWS_PROFILE, AWS_REGION, ...);
without a region it stops with exit code 2.
--data-dir DIR reads the embedded stack of \`serve\` instead (npm start uses .signer-data); it must exist.
Exit codes: 0 listed; 2 usage (no region, no stack at DIR); 3 KMS unreachable; 4 a key that does not
exist or cannot be used (disabled, access denied).
`;
var keys = {
  name: "keys",
  summary: "list the consensus keys (pkh, public key, key id, curve) from KMS or the local KMS",
  usage: usage3,
  async run(argv) {
    const { values } = parseArgs3({
      args: argv,
      options: { "kms-key-id": { type: "string", multiple: true }, region: { type: "string" }, "data-dir": { type: "string" }, json: { type: "boolean", default: false } },
      strict: true
    });
    const dataDir = values["data-dir"] ? resolve(values["data-dir"]) : void 0;
    const target = await kmsTarget({ dataDir, region: values.region });
    try {
      const rows = await consensusKeys(target.client, values["kms-key-id"] ?? []);
      if (values.json) printJson(rows);
      else if (rows.length === 0) process.stdout.write(`no consensus key found (${target.where})
`);
      else for (const r of rows) process.stdout.write(`${r.pkh}  ${r.curve.padEnd(9)}  ${r.publicKey}
  key ${r.keyId}
`);
      return EXIT.ok;
    } catch (error) {
      throw awsFailure(target.where, error);
    } finally {
      await target.close();
    }
  }
};

// cli/commands/serve.ts
import { parseArgs as parseArgs4 } from "node:util";
import { existsSync } from "node:fs";
import { isIP as isIP3 } from "node:net";
import { resolve as resolve3, dirname } from "node:path";
import { fileURLToPath } from "node:url";

// cli/serve.ts
import { resolve as resolve2 } from "node:path";
import { pathToFileURL } from "node:url";

// local/http-server.ts
import { createServer as createServer2 } from "node:http";
import { randomUUID as randomUUID2 } from "node:crypto";
import { isIP as isIP2 } from "node:net";

// local/function-url-auth.ts
var FORBIDDEN = { status: 403, body: '{"Message":"Forbidden"}' };
function headersMayPass(headers, iam) {
  const parsed = checkAuthorizationHeader(headers, iam.credentials, "lambda");
  return !("status" in parsed) && parsed.region === iam.region;
}
function signedByInvoker(request, iam, now = Date.now()) {
  return headersMayPass(request.headers, iam) && verifyRequest(request, iam.credentials, "lambda", now) === void 0;
}

// local/http-server.ts
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
var WILDCARD = /* @__PURE__ */ new Set(["0.0.0.0", "::", ""]);
function hostAllowed(header, listenHost, port) {
  if (header === void 0) return false;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d+)$/.exec(header);
  if (!match || Number(match[3]) !== port) return false;
  const address = match[1] ?? match[2];
  if (WILDCARD.has(listenHost)) return isIP2(address) !== 0;
  return address === listenHost;
}
function octezError(response, status, msg) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify([{ kind: "temporary", id: "failure", msg }]));
}
function forbidden(response) {
  response.writeHead(FORBIDDEN.status, { "content-type": "application/json" });
  response.end(FORBIDDEN.body);
}
async function serveHandler(handler, port, host = "127.0.0.1", options = {}) {
  let boundPort = port;
  let invocations = 0;
  const iam = options.functionUrlIam;
  const server = createServer2((request, response) => {
    void (async () => {
      if (!hostAllowed(request.headers.host, host, boundPort)) {
        response.setHeader("connection", "close");
        const address = host.includes(":") ? `[${host}]:${boundPort}` : `${host}:${boundPort}`;
        return octezError(response, 403, `Host ${JSON.stringify(request.headers.host ?? "")} is not this signer's address (${WILDCARD.has(host) ? `an IP address, port ${boundPort}` : address}): refused (DNS rebinding); use http://${address}`);
      }
      if ((request.method === "GET" || request.method === "HEAD") && (request.url ?? "/").split("?")[0] === "/health") {
        response.writeHead(200, { "content-type": "application/json" });
        const health = iam ? { status: "ok", handler_invocations: invocations } : { status: "ok" };
        response.end(request.method === "HEAD" ? void 0 : JSON.stringify(health));
        return;
      }
      if (iam && !headersMayPass(request.headers, iam)) return forbidden(response);
      const requestId = randomUUID2();
      let result;
      try {
        const body = await readBody(request);
        if (iam && !signedByInvoker({ method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers, body }, iam)) return forbidden(response);
        const headers = {};
        for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers[name] = value;
        invocations += 1;
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
  const bound = await listen(server, port, host);
  boundPort = bound.port;
  return {
    server,
    port: bound.port,
    url: bound.url,
    handlerInvocations: () => invocations,
    close: () => new Promise((resolve5) => {
      server.close(() => resolve5());
      server.closeAllConnections();
    })
  };
}

// cli/aws-credentials.ts
import { KMSClient as KMSClient3 } from "@aws-sdk/client-kms";
function credentialEnv(c) {
  return {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_SESSION_TOKEN: c.sessionToken ?? "",
    AWS_CREDENTIAL_EXPIRATION: c.expiration?.toISOString() ?? ""
  };
}
async function resolveCredentials(region) {
  const client = new KMSClient3(region ? { region } : {});
  try {
    return await client.config.credentials();
  } finally {
    client.destroy();
  }
}
function credentialSource(region) {
  const client = new KMSClient3(region ? { region } : {});
  return { get: () => client.config.credentials(), close: () => client.destroy() };
}
async function resolveSettings(region) {
  const client = new KMSClient3(region ? { region } : {});
  try {
    const resolved = await client.config.region().catch(() => {
      throw new Error("no AWS region: pass --region, set AWS_REGION, or give the profile a region");
    });
    return {
      AWS_REGION: resolved,
      AWS_USE_FIPS_ENDPOINT: String(await client.config.useFipsEndpoint()),
      AWS_USE_DUALSTACK_ENDPOINT: String(await client.config.useDualstackEndpoint())
    };
  } finally {
    client.destroy();
  }
}
function refreshDelay(expiration, now) {
  if (expiration === void 0) return void 0;
  return Math.max(expiration.getTime() - now - 10 * 6e4, 3e4);
}
async function provideCredentials(region, resolve5 = resolveCredentials) {
  let timer;
  const apply = (c) => {
    Object.assign(process.env, credentialEnv(c));
    const delay = refreshDelay(c.expiration, Date.now());
    if (delay !== void 0) timer = setTimeout(refresh, delay).unref();
  };
  const refresh = () => {
    resolve5(region).then(apply, () => {
      timer = setTimeout(refresh, 6e4).unref();
    });
  };
  apply(await resolve5(region));
  return () => clearTimeout(timer);
}

// cli/preflight.ts
import { DynamoDBClient as DynamoDBClient3, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetPublicKeyCommand as GetPublicKeyCommand2, KMSClient as KMSClient4 } from "@aws-sdk/client-kms";
var PROBE_KEY = "tezos-signer-serve-preflight";
async function checkKey(client, keyId) {
  let answer;
  try {
    answer = await client.send(new GetPublicKeyCommand2({ KeyId: keyId }));
  } catch (error) {
    throw awsFailure(`KMS key ${keyId}`, error);
  }
  if (answer.KeyUsage !== "SIGN_VERIFY" || answer.PublicKey === void 0) {
    throw new CommandFailure(`KMS key ${keyId}: not a signing key (KeyUsage ${answer.KeyUsage ?? "none"})`, EXIT.config);
  }
  try {
    publicKeyFromSpki(answer.PublicKey);
  } catch {
    throw new CommandFailure(`KMS key ${keyId}: key spec ${answer.KeySpec ?? "unknown"} is not a Tezos curve (ECC_SECG_P256K1, ECC_NIST_P256 or ECC_NIST_EDWARDS25519)`, EXIT.config);
  }
}
async function preflight(target) {
  const kms = new KMSClient4({ region: target.region, maxAttempts: 2 });
  const dynamo = new DynamoDBClient3({ region: target.region, maxAttempts: 2 });
  try {
    for (const id of target.kmsKeyIds) await checkKey(kms, id);
    try {
      await dynamo.send(new GetItemCommand({ TableName: target.tableName, Key: { pk: { S: PROBE_KEY } }, ConsistentRead: true }));
    } catch (error) {
      throw awsFailure(`DynamoDB table ${target.tableName}`, error);
    }
  } finally {
    kms.destroy();
    dynamo.destroy();
  }
}

// cli/serve.ts
var instances = 0;
async function importHandler(bundle, env) {
  Object.assign(process.env, env);
  instances += 1;
  const url = `${pathToFileURL(resolve2(bundle)).href}?instance=${instances}`;
  const module = await import(url);
  return module.handler;
}
async function startSigner(options) {
  let stack;
  let stopCredentials;
  const env = {};
  if (options.aws) {
    const region = options.aws.region ?? process.env["AWS_REGION"];
    Object.assign(env, await resolveSettings(region));
    stopCredentials = await provideCredentials(region);
    env["SIGNER_KMS_KEY_IDS"] = options.aws.kmsKeyIds.join(",");
    env["SIGNER_TABLE_NAME"] = options.aws.tableName;
  } else {
    stack = await startLocalStack(options.dataDir);
    Object.assign(env, {
      SIGNER_KMS_KEY_IDS: stack.state.kmsKeyIds.join(","),
      SIGNER_TABLE_NAME: LOCAL_TABLE,
      AWS_REGION: LOCAL_REGION,
      // The SDK clients in the handler sign with the stack's credentials of this start.
      AWS_ACCESS_KEY_ID: stack.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stack.credentials.secretAccessKey,
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
    await preflight({ kmsKeyIds: env["SIGNER_KMS_KEY_IDS"].split(","), tableName: env["SIGNER_TABLE_NAME"], region: env["AWS_REGION"] });
  } catch (error) {
    stopCredentials?.();
    await stack?.close();
    if (error.name === "ConfigError") throw new CommandFailure(error.message, EXIT.usage);
    throw error;
  }
  const functionUrlIam = options.functionUrlAuth === "aws_iam" ? { credentials: randomCredentials(), region: env["AWS_REGION"] } : void 0;
  const server = await serveHandler(handler, options.port, options.host, { functionUrlIam }).catch(async (error) => {
    stopCredentials?.();
    await stack?.close();
    throw error;
  });
  return {
    url: server.url,
    port: server.port,
    env,
    stack,
    handlerUrl: options.bundle,
    functionUrlIam,
    handlerInvocations: () => server.handlerInvocations(),
    close: async () => {
      stopCredentials?.();
      await server.close();
      await stack?.close();
    }
  };
}

// cli/port.ts
import { createServer as createServer3 } from "node:net";
async function assertPortFree(port, host) {
  if (port === 0) return;
  await new Promise((resolve5, reject) => {
    const probe = createServer3();
    probe.once("error", (error) => {
      reject(
        error.code === "EADDRINUSE" ? new CommandFailure(`port ${port} on ${host} is taken (another signer?): stop it, or choose another with --port N or SIGNER_PORT`, EXIT.usage) : new CommandFailure(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`, EXIT.usage)
      );
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve5()));
  });
}

// cli/request-log.ts
function logFormat(options) {
  return options.isTTY === true && !options.jsonLogs ? "human" : "json";
}
function parseLogLine(text) {
  if (!text.startsWith('{"level":"')) return void 0;
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : void 0;
  } catch {
    return void 0;
  }
}
var str = (v) => typeof v === "string" ? v : void 0;
var num = (v) => typeof v === "number" && Number.isFinite(v) ? v : void 0;
function humanLine(record, now = /* @__PURE__ */ new Date()) {
  const time = (str(record["timestamp"]) ?? now.toISOString()).slice(11, 19);
  const kind = str(record["kind"]);
  const level = num(record["opLevel"]);
  const round = num(record["opRound"]);
  const what = kind !== void 0 ? `${kind}${level !== void 0 ? `  level ${level} round ${round ?? "?"}` : ""}` : `${str(record["method"]) ?? ""} ${str(record["route"]) ?? ""}`.trim();
  const outcome = str(record["outcome"]) ?? "?";
  const status = num(record["status"]);
  const reason = str(record["reason"]);
  const result = outcome === "refused" || outcome === "error" ? `${outcome} ${status ?? ""}${reason ? ` (${reason})` : ""}`.trim() : outcome;
  const ms = num(record["ms"]) ?? num(record["durationMs"]);
  return `${time}  ${what}  ${result}${ms !== void 0 ? `  ${Math.round(ms)} ms` : ""}`;
}
function filterRequestLogs(stream, format) {
  const original = stream.write;
  const write = original.bind(stream);
  let muted = false;
  stream.write = ((chunk, ...rest) => {
    if (typeof chunk !== "string" || format === "json" && !muted) return write(chunk, ...rest);
    const record = parseLogLine(chunk);
    if (record === void 0) return write(chunk, ...rest);
    if (muted) return true;
    return format === "human" ? write(humanLine(record) + "\n") : write(chunk, ...rest);
  });
  return {
    mute: (on) => {
      muted = on;
    },
    restore: () => {
      stream.write = original;
    }
  };
}

// cli/commands/serve.ts
var here = dirname(fileURLToPath(import.meta.url));
var DEFAULT_BUNDLE = resolve3(here, here.endsWith("commands") ? "../../lambda/dist/handler.mjs" : "../lambda/dist/handler.mjs");
var MAINNET = "NetXdQprcVkpaWU";
var usage4 = `tezos-signer serve [options]

Starts the signer (the bundled Lambda handler) behind a local HTTP server.

Without --kms-key-id: an embedded stack (DynamoDB: dynalite; KMS: a local endpoint), kept under
--data-dir. The first start creates a tz2 consensus key and an authorized key.
With --kms-key-id and --table: real AWS, credentials from the standard chain (AWS_PROFILE, ...).
Before it listens, each KMS key must answer GetPublicKey with a signing key of a Tezos curve and the
table must answer a GetItem: otherwise it stops with exit code 4 (3 when AWS does not answer).

It answers only Host headers naming its address (DNS rebinding), and GET /health with {"status":"ok"}
without reaching AWS or the watermark.

Options:
  --port N               listen port (env SIGNER_PORT, default 6732)
  --host IP              listen address, an IP address (default 127.0.0.1; 0.0.0.0 or :: for all)
  --data-dir DIR         embedded stack data (env SIGNER_DATA_DIR, default .signer-data)
  --kms-key-id ID        a KMS key id or ARN to serve (repeatable; env SIGNER_KMS_KEY_IDS)
  --table NAME           DynamoDB watermark table (env SIGNER_TABLE_NAME)
  --region R             AWS region (env AWS_REGION; else the AWS profile's)
  --authorized-key PK    authorized public key (repeatable; env SIGNER_AUTHORIZED_KEYS, comma-separated)
  --allowed-chain-id ID  the chains it signs for (repeatable; env SIGNER_ALLOWED_CHAIN_IDS,
                         comma-separated); default ${MAINNET} (mainnet) only, as the Terraform
                         module; \`any\` for every chain
  --bundle FILE          handler bundle to run (default lambda/dist/handler.mjs)
  --function-url-auth A  none (default) or aws_iam: the front stands in for a Function URL with
                         authorization AWS_IAM. Every request (GET /health aside) must carry a SigV4
                         signature for service lambda, made with the invoker credentials this start
                         creates and prints; any other request gets 403 {"Message":"Forbidden"} before
                         the handler runs, as AWS refuses it before invoking (and billing) the function.
                         GET /health then also reports handler_invocations. octez-client then goes
                         through \`failover --sign-sigv4\`, which signs (the guide prints its line).
  --json                 print the start-up facts as one JSON line instead of the guide
  --json-logs            one JSON line per request (the Lambda log format, with its metrics) even on a
                         terminal; without it a terminal gets one short line per request (time, kind,
                         level and round, outcome, ms), and a pipe or file gets the JSON lines

It runs until SIGINT or SIGTERM (exit 0), or until the reader of its stdout goes away.
Exit codes: 0 stopped; 1 failed; 2 usage (a bad flag or value, a taken port); 3 unreachable (AWS did
not answer, or another serve holds --data-dir); 4 a KMS key or table that does not exist or cannot be
used (disabled, not a signing key, access denied, another key schema). 2 and 4 do not heal on a
restart: deploy/tezos-signer.service does not restart on them.
`;
function list(values, env) {
  if (values && values.length > 0) return values;
  const fromEnv = (env ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return fromEnv.length > 0 ? fromEnv : void 0;
}
function publicKeys(keys2) {
  keys2?.forEach((key, i) => {
    if (/^(edsk|spsk|p2sk)/.test(key)) throw new UsageError(`--authorized-key #${i + 1} is a secret key (${key.slice(0, 4)}…): give its public key (edpk/sppk/p2pk), which \`authorized-key new\` prints`);
    try {
      parsePublicKey(key);
    } catch {
      throw new UsageError(`--authorized-key #${i + 1} is not a public key (edpk/sppk/p2pk): ${key.slice(0, 12)}…`);
    }
  });
  return keys2;
}
function chainIds(ids) {
  if (ids === void 0) return [MAINNET];
  if (ids.includes("any")) {
    if (ids.length > 1) throw new UsageError("--allowed-chain-id: `any` cannot be combined with chain ids");
    return void 0;
  }
  for (const id of ids) if (b58decode(PREFIX.chainId, id) === void 0) throw new UsageError(`--allowed-chain-id: not a chain id (Net…): ${id}`);
  return ids;
}
async function getJson(url, iam) {
  const headers = iam ? { ...signedHeadersFor({ method: "GET", url: new URL(url), body: new Uint8Array() }, iam.credentials, { region: iam.region, service: "lambda" }) } : {};
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
var serve = {
  name: "serve",
  summary: "run the signer locally (embedded stack, or real AWS with --kms-key-id/--table)",
  usage: usage4,
  async run(argv) {
    const { values } = parseArgs4({
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
        json: { type: "boolean", default: false },
        "json-logs": { type: "boolean", default: false },
        "function-url-auth": { type: "string", default: "none" }
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
    const dataDir = resolve3(values["data-dir"] ?? process.env["SIGNER_DATA_DIR"] ?? ".signer-data");
    const aws = kmsKeyIds && tableName ? { kmsKeyIds, tableName, ...values.region ? { region: values.region } : {} } : void 0;
    const authorizedKeys = publicKeys(list(values["authorized-key"], process.env["SIGNER_AUTHORIZED_KEYS"]));
    const allowedChainIds = chainIds(list(values["allowed-chain-id"], process.env["SIGNER_ALLOWED_CHAIN_IDS"]));
    if (aws && !authorizedKeys) throw new UsageError("real AWS needs --authorized-key PK (or SIGNER_AUTHORIZED_KEYS): the signer refuses to start without one");
    const host = values.host ?? "127.0.0.1";
    if (isIP3(host) === 0) throw new UsageError(`--host: an IP address (127.0.0.1, ::1, 0.0.0.0), not ${host}: the signer answers only Host headers that name its address`);
    const functionUrlAuth = values["function-url-auth"];
    if (functionUrlAuth !== "none" && functionUrlAuth !== "aws_iam") throw new UsageError(`--function-url-auth: none or aws_iam, not ${functionUrlAuth}`);
    const bundle = values.bundle ?? DEFAULT_BUNDLE;
    if (!existsSync(bundle)) throw new UsageError(`--bundle ${bundle}: no such file`);
    if (!aws) {
      assertDynalite("serve without --kms-key-id");
      const busy = await holderOf(dataDir);
      if (busy) throw busy;
    }
    await assertPortFree(port, host);
    const logs = filterRequestLogs(process.stdout, logFormat({ isTTY: process.stdout.isTTY, jsonLogs: values["json-logs"] }));
    logs.mute(true);
    const signer = await startSigner({ port, host, dataDir, aws, authorizedKeys, allowedChainIds, bundle, functionUrlAuth }).catch((error) => {
      logs.restore();
      throw dynaliteMissing(error, "serve without --kms-key-id") ?? error;
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
    onStdoutClosed(() => stop("stdout closed"));
    let keys2;
    try {
      const { known_keys: pkhs } = await getJson(`${signer.url}/known_keys`, signer.functionUrlIam);
      keys2 = await Promise.all(
        pkhs.map(async (pkh) => ({ pkh, publicKey: (await getJson(`${signer.url}/keys/${pkh}`, signer.functionUrlIam)).public_key }))
      );
    } catch (error) {
      await signer.close();
      throw error;
    }
    const chains = signer.env["SIGNER_ALLOWED_CHAIN_IDS"] ? signer.env["SIGNER_ALLOWED_CHAIN_IDS"].split(",") : void 0;
    const authorized = signer.stack ? parseSecretKey(signer.stack.state.authorizedSecretKey) : void 0;
    const usingLocalAuthorizedKey = authorized !== void 0 && signer.env["SIGNER_AUTHORIZED_KEYS"] === authorized.publicKey.encoded;
    const iam = signer.functionUrlIam;
    const functionUrl = iam ? { authType: "AWS_IAM", region: iam.region, invoker: { accessKeyId: iam.credentials.accessKeyId, secretAccessKey: iam.credentials.secretAccessKey } } : { authType: "NONE" };
    if (values.json) {
      process.stdout.write(JSON.stringify({ url: signer.url, keys: keys2, authorizedKeys: signer.env["SIGNER_AUTHORIZED_KEYS"].split(","), allowedChainIds: chains ?? "any", dataDir: signer.stack ? dataDir : void 0, functionUrl }) + "\n");
      logs.mute(false);
      return new Promise(() => void 0);
    }
    const lines = [
      `Tezos signer listening on ${signer.url}`,
      signer.stack ? `  embedded stack under ${dataDir}${signer.stack.created ? " (created now: new consensus key and authorized key)" : ""}` : `  AWS: table ${signer.env["SIGNER_TABLE_NAME"]}, region ${signer.env["AWS_REGION"]}`,
      `  signs for ${chains ? `chain ${chains.map((c) => c === MAINNET ? `${c} (mainnet)` : c).join(", ")} only (--allowed-chain-id to change)` : "every chain (--allowed-chain-id any)"}`,
      ...iam ? [
        `  stands in for a Function URL with authorization AWS_IAM: unsigned requests get 403 before the handler`,
        `  its invoker credentials (this start only), for the baker host's proxy:`,
        `    AWS_ACCESS_KEY_ID=${iam.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${iam.credentials.secretAccessKey} \\`,
        `      tezos-signer failover --upstream ${signer.url} --sign-sigv4 --region ${iam.region}`
      ] : [],
      "",
      ...keys2.flatMap((k) => [`  consensus key ${k.pkh}`, `    public key  ${k.publicKey}`]),
      "",
      "Configure octez-client (or the baker host) to use it:",
      ...usingLocalAuthorizedKey ? [
        "  # 1. the authorized key, which authenticates each signing request",
        `  octez-client import secret key signer-auth unencrypted:${authorized.encoded}`
      ] : ["  # 1. import the secret key of one of the authorized keys into octez-client", `  #    authorized: ${signer.env["SIGNER_AUTHORIZED_KEYS"]}`],
      "  # 2. the consensus key, held by the signer",
      // With AWS_IAM octez-client cannot sign SigV4 itself: it goes through the proxy (default port 6733).
      ...keys2.map((k, i) => `  octez-client import secret key ${i === 0 ? "consensus" : `consensus-${i + 1}`} ${iam ? "http://127.0.0.1:6733" : signer.url}/${k.pkh}`),
      "",
      "It signs only blocks, preattestations and attestations, once per level and round. Ctrl-C stops it.",
      ...signer.stack ? [
        "This embedded stack (keys as files, a local DynamoDB) is for trying the signer, not for baking:",
        "bake from this host with `serve --kms-key-id <key> --table <watermark table>` (real KMS and DynamoDB)."
      ] : []
    ];
    process.stdout.write(lines.join("\n") + "\n");
    logs.mute(false);
    return new Promise(() => void 0);
  }
};

// cli/commands/setup-baker.ts
import { parseArgs as parseArgs5 } from "node:util";
var usage5 = `tezos-signer setup-baker --url URL [--pkh PKH] [--delegate ALIAS_OR_TZ] [--alias NAME]
                          [--auth-alias NAME] [--json]

Prints the octez sequence that makes a baker sign through this signer: the authorized key, the remote
consensus key, its registration for the delegate, and the baker's command. Without --pkh, the pkh is
read from URL/known_keys (when the signer serves exactly one key).
`;
function bakerSteps(url, pkh, delegate, alias, authAlias) {
  const base = url.replace(/\/+$/, "");
  return [
    {
      what: "import the authorized key (the one whose public key is in the signer's authorized_keys)",
      command: `octez-client import secret key ${authAlias} unencrypted:<spsk… from \`tezos-signer authorized-key new\`>`,
      note: "octez-client finds it through GET /authorized_keys and signs each request's `authentication` with it"
    },
    { what: "import the consensus key, held by the signer", command: `octez-client import secret key ${alias} ${base}/${pkh}` },
    { what: "check that the signer answers for it", command: `octez-client show address ${alias}` },
    {
      what: `register it as the consensus key of ${delegate}`,
      command: `octez-client set consensus key for ${delegate} to ${alias}`,
      note: "takes effect after CONSENSUS_KEY_ACTIVATION_DELAY + 1 cycles (a protocol constant; a few days on mainnet): keep the current key baking until then"
    },
    {
      what: `run the baker with the consensus key ${alias} and, until the change takes effect, ${delegate}'s current key`,
      // octez docs, key-management "Baking With a Consensus Key": the baker takes the consensus key alias
      // (not the delegate's), and both aliases during the transition; it signs with whichever is active.
      command: `octez-baker run with local node ~/.tezos-node ${alias} ${delegate} --liquidity-baking-toggle-vote pass --dal-node http://127.0.0.1:10732`,
      note: `octez-baker signs with the consensus key once it is active; ${delegate} may be dropped after that. Without a DAL node, replace --dal-node … with --without-dal`
    },
    { what: "verify the deployment without advancing any watermark", command: `tezos-signer check ${base} --authorized-key-file <file of the authorized secret key>` }
  ];
}
async function knownKeys(url) {
  const response = await fetch(`${url.replace(/\/+$/, "")}/known_keys`);
  if (!response.ok) throw new Error(`GET ${url}/known_keys: HTTP ${response.status}`);
  return (await response.json()).known_keys;
}
var setupBaker = {
  name: "setup-baker",
  summary: "print the octez commands that connect a baker to this signer",
  usage: usage5,
  async run(argv) {
    const { values } = parseArgs5({
      args: argv,
      options: {
        url: { type: "string" },
        pkh: { type: "string" },
        delegate: { type: "string", default: "<your delegate alias or tz address>" },
        alias: { type: "string", default: "consensus" },
        "auth-alias": { type: "string", default: "signer-auth" },
        json: { type: "boolean", default: false }
      },
      strict: true
    });
    if (!values.url) throw new UsageError("--url is required (the signer URL: terraform output signer_url)");
    signerUrl(values.url);
    if (values.pkh !== void 0 && parseKeyHash(values.pkh) === void 0) throw new UsageError(`--pkh: not a tz1/tz2/tz3 address: ${values.pkh}`);
    let pkh = values.pkh;
    if (pkh === void 0) {
      let keys2;
      try {
        keys2 = await knownKeys(values.url);
      } catch (error) {
        process.stderr.write(`tezos-signer setup-baker: ${error.message}
`);
        return EXIT.unreachable;
      }
      if (keys2.length !== 1) throw new UsageError(`the signer serves ${keys2.length} keys (${keys2.join(", ")}): pick one with --pkh`);
      pkh = keys2[0];
    }
    if (parseKeyHash(pkh) === void 0) throw new UsageError(`--pkh: not a tz1/tz2/tz3 address: ${pkh}`);
    const steps = bakerSteps(values.url, pkh, values.delegate, values.alias, values["auth-alias"]);
    if (values.json) {
      printJson({ url: values.url, pkh, steps });
      return EXIT.ok;
    }
    steps.forEach((s, i) => process.stdout.write(`${i + 1}. ${s.what}
   ${s.command}
${s.note ? `   (${s.note})
` : ""}`));
    return EXIT.ok;
  }
};

// cli/commands/watermarks.ts
import { parseArgs as parseArgs6 } from "node:util";
import { resolve as resolve4 } from "node:path";
import { createInterface } from "node:readline/promises";
import { ScanCommand } from "@aws-sdk/client-dynamodb";

// lambda/src/watermark-store.ts
import {
  ConditionalCheckFailedException,
  GetItemCommand as GetItemCommand2,
  PutItemCommand
} from "@aws-sdk/client-dynamodb";

// lambda/src/dynamo-errors.ts
function errorName(error) {
  if (error instanceof Error) return error.name === "Error" ? error.message.slice(0, 200) : error.name;
  return "unknown error";
}

// lambda/src/watermark-store.ts
var ADVANCE_CONDITION = "attribute_not_exists(pk) OR #level < :level OR (#level = :level AND #round < :round)";
var DynamoWatermarkStore = class {
  constructor(client, tableName, now = () => /* @__PURE__ */ new Date()) {
    this.client = client;
    this.tableName = tableName;
    this.now = now;
  }
  client;
  tableName;
  now;
  async read(key) {
    let item;
    try {
      ({ Item: item } = await this.client.send(
        new GetItemCommand2({ TableName: this.tableName, Key: { pk: { S: key } }, ConsistentRead: true })
      ));
    } catch (error) {
      throw new UpstreamFailure(`DynamoDB read of the watermark failed: ${errorName(error)}`);
    }
    if (item === void 0) return void 0;
    const level = Number(item["level"]?.N);
    const round = Number(item["round"]?.N);
    const digest = item["digest"]?.S;
    const signature2 = item["signature"]?.S;
    if (!Number.isSafeInteger(level) || !Number.isSafeInteger(round) || digest === void 0 || signature2 === void 0) {
      throw new InternalError(`watermark item ${key} is malformed; refusing to sign until it is repaired`);
    }
    return { level, round, digest, signature: signature2 };
  }
  async advance(key, next, scope) {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: key },
            level: { N: String(next.level) },
            round: { N: String(next.round) },
            digest: { S: next.digest },
            signature: { S: next.signature },
            pkh: { S: scope.pkh },
            chain_id: { S: scope.chainId },
            kind: { S: scope.kind },
            updated_at: { S: this.now().toISOString() }
          },
          ConditionExpression: ADVANCE_CONDITION,
          ExpressionAttributeNames: { "#level": "level", "#round": "round" },
          ExpressionAttributeValues: { ":level": { N: String(next.level) }, ":round": { N: String(next.round) } }
        })
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || errorName(error) === "ConditionalCheckFailedException") {
        return false;
      }
      throw new UpstreamFailure(`DynamoDB write of the watermark failed: ${errorName(error)}; nothing was signed`);
    }
  }
};

// lambda/src/watermark.ts
var OPERATOR_DIGEST = "operator-set";
function watermarkKey(pkh, chainId, kind) {
  return `${pkh}#${chainId}#${kind}`;
}

// cli/commands/watermarks.ts
var usage6 = `tezos-signer watermarks show [--pkh PKH] [--chain NET] [--json]      (where: --table T [--region R] | --data-dir DIR)
tezos-signer watermarks set --pkh PKH --chain NET --kind block|preattestation|attestation
                            --level L --round R [--kms-key-id ID ...] [--force] [--yes]   (where: as above)

show: the watermark items: per consensus key, chain and kind, the highest level and round signed.
set:  raises one watermark, never lowers it (the same conditional write as the signer: refused unless the
      stored position is absent or strictly below). For a key migration: import the position the old
      signer reached, so that nothing at or below it can be signed again by this one.
      Danger: a watermark set above the chain's head stops that kind of signature until the chain passes
      it, and this tool cannot lower it again. Asks you to type the pkh to confirm, unless --yes.
      PKH must be a key the signer serves: one of the consensus keys in KMS (the account and region's,
      or the --kms-key-id given; with --data-dir, the embedded stack's). A watermark for another key
      protects nothing (a typo, or the old signer's key): refused with exit code 2 unless --force.
      Without a terminal (a script, a pipe) there is nobody to type it: --yes is then required, and
      without it the command stops with exit code 2 before it reaches KMS or DynamoDB.
Exit codes: 0 done; 1 refused (not above the stored watermark, or the pkh typed did not match);
2 usage (a bad flag or value, no terminal and no --yes, a pkh the signer does not serve); 3 unreachable;
4 a KMS key or table that does not exist or cannot be used.
--data-dir works on the embedded stack of \`serve\` while that is stopped (its database allows one process).
`;
function rowOf(item) {
  return {
    pkh: item["pkh"]?.S ?? "",
    chainId: item["chain_id"]?.S ?? "",
    kind: item["kind"]?.S ?? "",
    level: Number(item["level"]?.N),
    round: Number(item["round"]?.N),
    operatorSet: item["digest"]?.S === OPERATOR_DIGEST,
    updatedAt: item["updated_at"]?.S ?? ""
  };
}
var where = {
  table: { type: "string" },
  region: { type: "string" },
  "data-dir": { type: "string" }
};
async function show(argv) {
  const { values } = parseArgs6({ args: argv, options: { ...where, pkh: { type: "string" }, chain: { type: "string" }, json: { type: "boolean", default: false } }, strict: true });
  const target = await dynamoTarget({ dataDir: values["data-dir"] ? resolve4(values["data-dir"]) : void 0, region: values.region, table: values.table });
  try {
    const rows = [];
    let start;
    do {
      const page = await target.client.send(new ScanCommand({ TableName: target.table, ConsistentRead: true, ...start ? { ExclusiveStartKey: start } : {} }));
      for (const item of page.Items ?? []) rows.push(rowOf(item));
      start = page.LastEvaluatedKey;
    } while (start);
    const selected = rows.filter((r) => (values.pkh === void 0 || r.pkh === values.pkh) && (values.chain === void 0 || r.chainId === values.chain)).sort((a, b) => `${a.pkh}${a.chainId}${a.kind}`.localeCompare(`${b.pkh}${b.chainId}${b.kind}`));
    if (values.json) printJson(selected);
    else if (selected.length === 0) process.stdout.write(`no watermark yet (${target.where})
`);
    else for (const r of selected) process.stdout.write(`${r.pkh}  ${r.chainId}  ${r.kind.padEnd(14)}  level ${r.level} round ${r.round}${r.operatorSet ? "  (set by an operator)" : ""}  ${r.updatedAt}
`);
    return EXIT.ok;
  } catch (error) {
    throw awsFailure(target.where, error);
  } finally {
    await target.close();
  }
}
function integer(name, text) {
  const value = Number(text);
  if (text === void 0 || !Number.isSafeInteger(value) || value < 0 || value > 2147483647) throw new UsageError(`--${name}: a non-negative int32 is required`);
  return value;
}
async function assertServed(pkh, options) {
  const target = await kmsTarget({ dataDir: options.dataDir, region: options.region });
  let served;
  try {
    served = (await consensusKeys(target.client, options.kmsKeyIds)).map((k) => k.pkh);
  } catch (error) {
    throw awsFailure(target.where, error);
  } finally {
    await target.close();
  }
  if (!served.includes(pkh)) {
    throw new UsageError(
      `--pkh ${pkh} is not a key the signer serves (${target.where}: ${served.length > 0 ? served.join(", ") : "no consensus key"}); a watermark for it would protect nothing. Check the pkh, give the signer's keys with --kms-key-id, or --force to write it anyway`
    );
  }
}
async function set(argv) {
  const { values } = parseArgs6({
    args: argv,
    options: {
      ...where,
      pkh: { type: "string" },
      chain: { type: "string" },
      kind: { type: "string" },
      level: { type: "string" },
      round: { type: "string" },
      "kms-key-id": { type: "string", multiple: true },
      force: { type: "boolean", default: false },
      yes: { type: "boolean", default: false }
    },
    strict: true
  });
  const pkh = values.pkh;
  if (!pkh || parseKeyHash(pkh) === void 0) throw new UsageError("--pkh: the consensus key's tz address is required");
  if (!values.chain || b58decode(PREFIX.chainId, values.chain) === void 0) throw new UsageError("--chain: a chain id (NetXdQprcVkpaWU for mainnet) is required");
  const kind = values.kind;
  if (!["block", "preattestation", "attestation"].includes(kind)) throw new UsageError("--kind: block, preattestation or attestation");
  const level = integer("level", values.level);
  const round = integer("round", values.round);
  if (!values.yes && !process.stdin.isTTY) throw new UsageError("confirmation needed and stdin is not a terminal: pass --yes");
  const dataDir = values["data-dir"] ? resolve4(values["data-dir"]) : void 0;
  if (!values.force) await assertServed(pkh, { dataDir, region: values.region, kmsKeyIds: values["kms-key-id"] ?? [] });
  if (!values.yes) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Raise the ${kind} watermark of ${pkh} on ${values.chain} to level ${level} round ${round}?
It can never be lowered. Type the pkh to confirm: `);
    rl.close();
    if (answer.trim() !== pkh) {
      process.stderr.write("not confirmed: nothing written\n");
      return EXIT.failed;
    }
  }
  const target = await dynamoTarget({ dataDir, region: values.region, table: values.table });
  try {
    const store = new DynamoWatermarkStore(target.client, target.table);
    const key = watermarkKey(pkh, values.chain, kind);
    const written = await store.advance(key, { level, round, digest: OPERATOR_DIGEST, signature: "none (set by an operator)" }, { pkh, chainId: values.chain, kind });
    if (!written) {
      const now = await store.read(key).catch(() => void 0);
      process.stderr.write(`refused: the stored ${kind} watermark (${now ? `level ${now.level} round ${now.round}` : "unreadable"}) is not below level ${level} round ${round}; a watermark is never lowered
`);
      return EXIT.failed;
    }
    process.stdout.write(`${kind} watermark of ${pkh} on ${values.chain} is now level ${level} round ${round}
`);
    return EXIT.ok;
  } catch (error) {
    throw awsFailure(target.where, error);
  } finally {
    await target.close();
  }
}
var watermarks = {
  name: "watermarks",
  summary: "show the watermarks, or raise one (`watermarks set`, for a key migration)",
  usage: usage6,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === "show") return show(rest);
    if (sub === "set") return set(rest);
    throw new UsageError("expected `watermarks show` or `watermarks set`");
  }
};

// cli/commands/failover.ts
import { isIP as isIP4 } from "node:net";
import { parseArgs as parseArgs7 } from "node:util";

// cli/failover-route.ts
var DEFAULT_POLICY = {
  attemptTimeoutMs: 2e3,
  budgetMs: 4500,
  minAttemptMs: 250,
  backoffMs: 5e3,
  maxBackoffMs: 6e4
};
function movesOn(outcome) {
  return outcome.kind !== "answer" || outcome.status >= 500;
}
function describeOutcome(outcome) {
  if (outcome.kind === "answer") return `HTTP ${outcome.status}`;
  if (outcome.kind === "timeout") return "timeout";
  return `connection error (${outcome.detail})`;
}
var Health = class {
  constructor(count, policy = DEFAULT_POLICY) {
    this.count = count;
    this.policy = policy;
    this.state = Array.from({ length: count }, () => ({ failures: 0, downUntil: 0 }));
  }
  count;
  policy;
  state;
  /**
   * The order to try upstreams in: the healthy ones in the operator's order, then those in back-off,
   * soonest back first. None is left out: with every region in back-off, trying beats refusing.
   */
  order(now) {
    const all = this.state.map((s, i) => ({ i, downUntil: s.downUntil }));
    const healthy = all.filter((s) => s.downUntil <= now).map((s) => s.i);
    const waiting = all.filter((s) => s.downUntil > now).sort((a, b) => a.downUntil - b.downUntil || a.i - b.i).map((s) => s.i);
    return [...healthy, ...waiting];
  }
  /**
   * Records an attempt. `signing`: a POST /keys/<pkh>. Only a signing request's answer clears a failure:
   * GET /authorized_keys is answered without KMS or DynamoDB, so a region cut from its table would
   * otherwise look healthy before every signing request octez-client sends.
   */
  record(upstream, outcome, now, signing) {
    const s = this.state[upstream];
    if (movesOn(outcome)) {
      s.failures += 1;
      s.downUntil = now + Math.min(this.policy.backoffMs * 2 ** Math.min(s.failures - 1, 20), this.policy.maxBackoffMs);
    } else if (signing || s.failures === 0) {
      s.failures = 0;
      s.downUntil = 0;
    }
  }
  isDown(upstream, now) {
    return this.state[upstream].downUntil > now;
  }
};
async function route(health, policy, now, signing, send) {
  const start = now();
  const attempts = [];
  let fallback;
  for (const upstream of health.order(start)) {
    const left = policy.budgetMs - (now() - start);
    if (left < policy.minAttemptMs) break;
    const began = now();
    const { outcome, response } = await send(upstream, Math.min(policy.attemptTimeoutMs, left));
    const ended = now();
    health.record(upstream, outcome, ended, signing);
    attempts.push({ upstream, outcome, ms: ended - began, ...response !== void 0 ? { response } : {} });
    if (!movesOn(outcome)) return { response, upstream, attempts };
    if (response !== void 0) fallback = { response, upstream };
  }
  return { response: fallback?.response, upstream: fallback?.upstream, attempts };
}

// cli/failover-proxy.ts
import { createServer as createServer4 } from "node:http";
var MAX_BODY2 = 64 * 1024;
function upstreamOf(text) {
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`not an http(s) URL: ${text}`);
  if (url.search !== "" || url.hash !== "") throw new Error(`an upstream is a base URL, without query or fragment: ${text}`);
  return { name: url.host, url };
}
function targetUrl(upstream, requestUrl) {
  const base = upstream.href.replace(/\/+$/, "");
  return base + (requestUrl.startsWith("/") ? requestUrl : `/${requestUrl}`);
}
async function readBody2(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY2) return void 0;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
function octezError2(status, msg) {
  return { status, contentType: "application/json", body: Buffer.from(JSON.stringify([{ kind: "temporary", id: "failure", msg }])) };
}
async function attempt(upstream, method, requestUrl, headers, body, timeoutMs, sign) {
  const url = new URL(targetUrl(upstream.url, requestUrl));
  let signed = {};
  try {
    if (sign) signed = await sign(upstream, { method, url, body: method === "GET" || method === "HEAD" ? Buffer.alloc(0) : body });
  } catch (error) {
    return { outcome: { kind: "connection_error", detail: `sigv4: ${error.message}` } };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...signed },
      ...method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) },
      signal: controller.signal,
      redirect: "manual"
    });
    const answer = { status: response.status, contentType: response.headers.get("content-type") ?? "application/json", body: Buffer.from(await response.arrayBuffer()) };
    return { outcome: { kind: "answer", status: answer.status }, response: answer };
  } catch (error) {
    if (controller.signal.aborted) return { outcome: { kind: "timeout" } };
    const cause = error.cause;
    return { outcome: { kind: "connection_error", detail: cause?.code ?? cause?.message ?? error.message } };
  } finally {
    clearTimeout(timer);
  }
}
async function startFailover(options) {
  if (options.upstreams.length === 0) throw new Error("no upstream");
  const policy = options.policy ?? DEFAULT_POLICY;
  const health = new Health(options.upstreams.length, policy);
  const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}
`));
  const handle = async (request, response) => {
    const started = performance.now();
    const method = request.method ?? "GET";
    const requestUrl = request.url ?? "/";
    const path = requestUrl.split("?")[0];
    const body = await readBody2(request);
    let answer;
    let upstream = null;
    let attempts = [];
    if (body === void 0) {
      answer = octezError2(413, `failover: body larger than ${MAX_BODY2} bytes`);
    } else {
      const headers = { accept: "application/json" };
      const type = request.headers["content-type"];
      if (typeof type === "string") headers["content-type"] = type;
      const signing = method === "POST" && path.startsWith("/keys/");
      const routed = await route(health, policy, () => performance.now(), signing, (i, timeoutMs) => attempt(options.upstreams[i], method, requestUrl, headers, body, timeoutMs, options.sign));
      attempts = routed.attempts.map((a) => ({ upstream: options.upstreams[a.upstream].name, result: describeOutcome(a.outcome), ms: Math.round(a.ms) }));
      if (routed.response !== void 0 && routed.upstream !== void 0) {
        answer = routed.response;
        upstream = options.upstreams[routed.upstream].name;
      } else {
        const tried = attempts.map((a) => `${a.upstream}: ${a.result} after ${a.ms} ms`).join("; ");
        answer = octezError2(503, `failover: no region answered within ${policy.budgetMs} ms (${tried || "no attempt fitted the budget"}); nothing was signed by this request, an identical retry is safe`);
      }
    }
    if (!response.destroyed) {
      response.writeHead(answer.status, { "content-type": answer.contentType, "content-length": answer.body.length });
      response.end(answer.body);
    }
    log({ time: (/* @__PURE__ */ new Date()).toISOString(), method, path, upstream, status: answer.status, ms: Math.round(performance.now() - started), attempts });
  };
  const server = createServer4((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent && !response.destroyed) {
        const answer = octezError2(500, "failover: internal error");
        response.writeHead(500, { "content-type": answer.contentType });
        response.end(answer.body);
      }
    });
  });
  const bound = await listen(server, options.port, options.host);
  return {
    url: bound.url,
    port: bound.port,
    health,
    close: () => new Promise((resolve5) => {
      server.close(() => resolve5());
      server.closeAllConnections();
    })
  };
}

// cli/failover-sigv4.ts
var FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.([a-z]{2}(?:-[a-z]+)+-\d)\.on\.aws$/;
function regionOfFunctionUrl(hostname) {
  return FUNCTION_URL_HOST.exec(hostname.toLowerCase())?.[1];
}
function upstreamRegions(upstreams, fallback) {
  return upstreams.map((u) => {
    const named = regionOfFunctionUrl(u.url.hostname);
    if (named !== void 0 && fallback !== void 0 && named !== fallback) {
      throw new Error(`${u.url.host} is a Function URL in ${named}, not --region ${fallback}: leave --region out for Function URLs`);
    }
    const region = named ?? fallback;
    if (region === void 0) throw new Error(`cannot tell the Region of ${u.url.host} (not <id>.lambda-url.<region>.on.aws): give --region`);
    return region;
  });
}
function sigv4Signer(upstreams, regions, credentials) {
  const regionOf2 = new Map(upstreams.map((u, i) => [u, regions[i]]));
  return async (upstream, request) => {
    const region = regionOf2.get(upstream);
    if (region === void 0) throw new Error(`no Region for ${upstream.name}`);
    const headers = signedHeadersFor(request, await credentials(), { region, service: "lambda" }, { contentSha256: true });
    return { ...headers };
  };
}

// cli/commands/failover.ts
var DEFAULT_LISTEN = "127.0.0.1:6733";
var usage7 = `tezos-signer failover --upstream URL --upstream URL [--listen ${DEFAULT_LISTEN}]
                        [--attempt-timeout-ms ${DEFAULT_POLICY.attemptTimeoutMs}] [--budget-ms ${DEFAULT_POLICY.budgetMs}] [--allow-remote-listen]
                        [--sign-sigv4 [--region R]]

A proxy for the baker host: octez-client holds one signer URL per key, this gives it one that fails
over between the signer's regions. Each request goes, unchanged (authentication included), to the
first healthy upstream in the order given; after a connection error, a 5xx or a timeout it goes to the
next, one attempt after the other, never to two at once. An upstream that failed is tried after the
others for a back-off (${DEFAULT_POLICY.backoffMs / 1e3} s, doubling up to ${DEFAULT_POLICY.maxBackoffMs / 1e3} s). An attempt may take --attempt-timeout-ms, a
request --budget-ms in all (a mainnet round is 6 s). One JSON line per request on stdout names the
region that answered, its status and the latency; the authentication signature is never logged.

A retry in another region is safe only because the regions share one watermark table with
multi-Region strong consistency: an identical request gets the signature recorded for it. Point the
upstreams only at one deployment's regions (docs/failover.md).

--sign-sigv4: the upstreams are Function URLs with authorization AWS_IAM (Terraform exposure
"function_url_iam"): each attempt is signed with SigV4 for service lambda, in the Region the URL's
host names (<id>.lambda-url.<region>.on.aws; --region for any other host), with the AWS credentials of
the standard chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN first, else
AWS_PROFILE (a profile that assumes the invoker role is refreshed before it expires). They are checked
once at start (exit 2 without any) and never logged. A request AWS does not authorize comes back as
its 403 {"Message":"Forbidden"}, not retried in another region.

It listens on loopback only: the listener is plain HTTP without authentication of its own, so anyone
who reached it would reach the signer with the baker host's network position. --allow-remote-listen
accepts another address; do not use it without a firewall in front.
`;
function isLoopback(host) {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost") return true;
  if (isIP4(bare) === 4) return bare.startsWith("127.");
  if (isIP4(bare) === 6) return bare === "::1" || /^::ffff:127\./i.test(bare);
  return false;
}
function parseListen(text) {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  if (!match) throw new UsageError(`--listen: expected HOST:PORT such as ${DEFAULT_LISTEN}, got ${text}`);
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`--listen: port ${port} is out of range`);
  return { host: match[1].replace(/^\[|\]$/g, ""), port };
}
function milliseconds(name, text, fallback) {
  if (text === void 0) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100 || value > 6e4) throw new UsageError(`--${name}: expected milliseconds between 100 and 60000, got ${text}`);
  return value;
}
function octezLines(proxyUrl, pkhs) {
  const keys2 = pkhs.length > 0 ? pkhs : ["<pkh>"];
  return keys2.map((pkh, i) => `octez-client import secret key ${keys2.length > 1 ? `consensus-${i + 1}` : "consensus"} ${proxyUrl}/${pkh} --force`);
}
var failover = {
  name: "failover",
  summary: "a loopback proxy for the baker that fails over between the signer's regions",
  usage: usage7,
  async run(argv) {
    const { values, positionals } = parseArgs7({
      args: argv,
      options: {
        upstream: { type: "string", multiple: true },
        listen: { type: "string", default: DEFAULT_LISTEN },
        "attempt-timeout-ms": { type: "string" },
        "budget-ms": { type: "string" },
        "allow-remote-listen": { type: "boolean", default: false },
        "sign-sigv4": { type: "boolean", default: false },
        region: { type: "string" }
      },
      allowPositionals: true,
      strict: true
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const texts = values.upstream ?? [];
    if (texts.length === 0) throw new UsageError("give the regions' signer URLs: --upstream URL --upstream URL (terraform output)");
    let upstreams;
    try {
      upstreams = texts.map(upstreamOf);
    } catch (error) {
      throw new UsageError(`--upstream: ${error.message}`);
    }
    if (new Set(upstreams.map((u) => u.url.href)).size !== upstreams.length) throw new UsageError("--upstream: the same URL twice");
    const { host, port } = parseListen(values.listen);
    if (!isLoopback(host) && !values["allow-remote-listen"]) {
      throw new UsageError(`--listen ${values.listen}: not a loopback address. The proxy is plain HTTP without authentication; listening elsewhere needs --allow-remote-listen (and a firewall)`);
    }
    const attemptTimeoutMs = milliseconds("attempt-timeout-ms", values["attempt-timeout-ms"], DEFAULT_POLICY.attemptTimeoutMs);
    const budgetMs = milliseconds("budget-ms", values["budget-ms"], DEFAULT_POLICY.budgetMs);
    if (budgetMs < attemptTimeoutMs) throw new UsageError(`--budget-ms ${budgetMs} is shorter than one attempt (--attempt-timeout-ms ${attemptTimeoutMs})`);
    const policy = { ...DEFAULT_POLICY, attemptTimeoutMs, budgetMs };
    if (values.region !== void 0 && !values["sign-sigv4"]) throw new UsageError("--region is the Region of the SigV4 signature: it goes with --sign-sigv4");
    if (values.region !== void 0 && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) throw new UsageError(`--region: not a Region name: ${values.region}`);
    let sign;
    let closeCredentials = () => {
    };
    if (values["sign-sigv4"]) {
      let regions;
      try {
        regions = upstreamRegions(upstreams, values.region);
      } catch (error) {
        throw new UsageError(`--sign-sigv4: ${error.message}`);
      }
      const source = credentialSource(regions[0]);
      closeCredentials = source.close;
      await source.get().catch((error) => {
        source.close();
        throw new UsageError(`--sign-sigv4: no AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE): ${error.message}`);
      });
      sign = sigv4Signer(upstreams, regions, source.get);
    }
    await assertPortFree(port, host);
    const proxy = await startFailover({ upstreams, host, port, policy, sign }).catch((error) => {
      closeCredentials();
      throw new CommandFailure(`cannot listen on ${values.listen}: ${error.message}`, EXIT.usage);
    });
    const stop = () => {
      closeCredentials();
      proxy.close().then(
        () => process.exit(EXIT.ok),
        () => process.exit(EXIT.failed)
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    let pkhs = [];
    try {
      const response = await fetch(`${proxy.url}/known_keys`, { signal: AbortSignal.timeout(policy.budgetMs + 1e3) });
      if (response.ok) pkhs = (await response.json()).known_keys ?? [];
    } catch {
      pkhs = [];
    }
    const shownUrl = `http://${isIP4(host) === 6 ? `[${host}]` : host}:${proxy.port}`;
    process.stderr.write(
      [
        `failover on ${shownUrl}, upstreams in order: ${upstreams.map((u) => u.url.href).join(", ")}`,
        `per attempt ${attemptTimeoutMs} ms, per request ${budgetMs} ms; one JSON line per request on stdout`,
        ...sign ? ["each attempt signed with SigV4 (service lambda) with the AWS credentials of the standard chain"] : [],
        pkhs.length === 0 ? "no region answered GET /known_keys yet: replace <pkh> with the consensus key's tz address" : `keys served: ${pkhs.join(", ")}`,
        "point octez-client at it (the baker keeps its alias):",
        ...octezLines(shownUrl, pkhs).map((l) => `  ${l}`),
        ""
      ].join("\n")
    );
    return new Promise(() => void 0);
  }
};

// cli/commands/cost.ts
import { parseArgs as parseArgs8 } from "node:util";

// cli/cost-model.ts
import { readFileSync } from "node:fs";

// lambda/src/telemetry.ts
var METRICS = ["WatermarkRefusals", "AuthFailures", "Errors"];
function metricOf(record) {
  if (record.outcome === "error") return "Errors";
  if (record.outcome === "refused" && record.reason === "watermark") return "WatermarkRefusals";
  if (record.outcome === "refused" && record.reason === "authentication") return "AuthFailures";
  return void 0;
}
function logLine(record, namespace, functionName, now) {
  if (record.outcome === "served") return void 0;
  const line = {
    level: record.outcome === "error" ? "ERROR" : record.outcome === "refused" ? "WARN" : "INFO",
    requestId: record.requestId,
    outcome: record.outcome
  };
  if (record.outcome === "refused" || record.outcome === "error") {
    Object.assign(line, { status: record.status, reason: record.reason, message: record.message, route: record.route, method: record.method });
  }
  const optional = [
    ["pkh", record.pkh],
    // Which authorized key verified: on refusals and errors. A signature's line leaves it out to stay
    // within 300 bytes; a signature was necessarily authorized by one of SIGNER_AUTHORIZED_KEYS.
    ["by", record.outcome === "signed" || record.outcome === "identical_retry" ? void 0 : record.authorizedKey],
    ["chain", record.chainId],
    ["kind", record.kind],
    ["opLevel", record.opLevel],
    ["opRound", record.opRound],
    ["kmsMs", record.kmsMs],
    ["ddbMs", record.dynamoDbMs],
    ["ms", record.durationMs],
    ["kmsWasted", record.kmsWasted],
    ["selfTest", record.selfTest]
  ];
  for (const [name, value] of optional) if (value !== void 0) line[name] = value;
  const metric = metricOf(record);
  if (metric !== void 0) {
    line["FunctionName"] = functionName;
    line[metric] = 1;
    line["_aws"] = { Timestamp: now, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["FunctionName"]], Metrics: [{ Name: metric, Unit: "Count" }] }] };
  }
  return line;
}

// cli/cost-model.ts
var CLOUDWATCH_EVENT_OVERHEAD = 26;
function typicalSignatureLineBytes() {
  const line = logLine(
    {
      requestId: "8f6a5c3e-1b2d-4e5f-9a8b-7c6d5e4f3a2b",
      method: "POST",
      route: "key",
      status: 200,
      outcome: "signed",
      pkh: "tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq",
      chainId: "NetXdQprcVkpaWU",
      kind: "preattestation",
      opLevel: 12345678,
      opRound: 0,
      kmsMs: 14.37,
      dynamoDbMs: 6.81,
      durationMs: 24.52
    },
    "TezosSigner",
    "tezos-signer",
    0
  );
  return Buffer.byteLength(JSON.stringify(line) + "\n");
}
var EXPOSURES = ["function_url", "function_url_iam", "http_api", "private_rest_api"];
var DAYS = 30;
function monthly(prices, a, exposure, options = { monitoring: true }) {
  const levels = DAYS * 86400 / a.blockSeconds;
  const signatures = levels * (2 * a.attestShare + a.blockShare);
  const requests = signatures * 2;
  const gbSeconds = (signatures * a.signMs + signatures * a.authorizedKeysMs) / 1e3 * (a.memoryMb / 1024);
  const logGb = (signatures * a.logBytesPerSign + signatures * a.logBytesPerAuthorizedKeys) / 1024 ** 3;
  const m = (n) => `${(n / 1e6).toFixed(3)} M`;
  const lines = [
    { service: "Lambda requests", detail: `${m(requests)} (signatures + GET /authorized_keys)`, usd: requests / 1e6 * prices.lambda.request_per_million },
    { service: "Lambda compute (arm64)", detail: `${gbSeconds.toFixed(0)} GB-s at ${a.memoryMb} MB`, usd: gbSeconds * prices.lambda.arm64_gb_second },
    { service: "KMS keys", detail: `${a.keys} asymmetric key(s)`, usd: a.keys * prices.kms.asymmetric_key_month },
    { service: "KMS Sign", detail: `${m(signatures)} requests`, usd: signatures / 1e4 * prices.kms.asymmetric_sign_per_10k },
    { service: "KMS Sign wasted", detail: `${(a.wastedSignShare * 100).toFixed(1)} % more: refused/repeated, started alongside the read`, usd: signatures * a.wastedSignShare / 1e4 * prices.kms.asymmetric_sign_per_10k },
    { service: "DynamoDB reads", detail: `${m(signatures)} consistent reads (1 RRU each)`, usd: signatures / 1e6 * prices.dynamodb_on_demand.read_request_unit_per_million },
    { service: "DynamoDB writes", detail: `${m(signatures)} conditional writes (1 WRU each)`, usd: signatures / 1e6 * prices.dynamodb_on_demand.write_request_unit_per_million },
    { service: "CloudWatch Logs", detail: `${logGb.toFixed(2)} GB ingested`, usd: logGb * prices.cloudwatch.logs_ingest_per_gb }
  ];
  if (options.monitoring) {
    lines.push(
      {
        service: "CloudWatch metrics (EMF)",
        detail: `${a.customMetrics} custom, on events only (${a.eventHoursPerMetric} h a month each)`,
        usd: a.customMetrics * prices.cloudwatch.custom_metric_month * a.eventHoursPerMetric / prices.hours_per_month
      },
      { service: "CloudWatch alarms", detail: `${a.alarms} alarms (3 on free AWS metrics)`, usd: a.alarms * prices.cloudwatch.alarm_standard_month },
      ...a.trail ? [
        {
          service: "CloudTrail trail (S3)",
          detail: `${(signatures * a.trailBytesPerEvent / 1024 ** 3).toFixed(2)} GB of logs a month (first copy of management events free)`,
          usd: signatures * a.trailBytesPerEvent / 1024 ** 3 * prices.s3.standard_gb_month + a.trailFilesPerMonth / 1e3 * prices.s3.put_per_thousand
        }
      ] : [],
      ...a.tableWriteEvents ? [watermarkWriteWatch(prices, a).cloudtrailWrites] : [],
      {
        service: "CloudWatch dashboard",
        detail: a.dashboardFree ? `${a.dashboards}, free as one of the account's first 3` : `${a.dashboards}, the account has 3 already`,
        usd: a.dashboardFree ? 0 : a.dashboards * prices.cloudwatch.dashboard_month
      }
    );
  }
  if (exposure === "http_api") lines.push({ service: "API Gateway HTTP API", detail: `${m(requests)} requests`, usd: requests / 1e6 * prices.api_gateway.http_api_per_million });
  if (exposure === "private_rest_api") {
    lines.push({ service: "API Gateway REST API (private)", detail: `${m(requests)} requests`, usd: requests / 1e6 * prices.api_gateway.rest_api_per_million });
    const endpoints = 2;
    lines.push({
      service: "VPC interface endpoints",
      detail: `${endpoints} endpoints (execute-api, KMS) × ${a.availabilityZones} AZ`,
      usd: endpoints * a.availabilityZones * prices.hours_per_month * prices.vpc_endpoint.interface_endpoint_hour_per_az
    });
  }
  return lines;
}
function signaturesPerMonth(a) {
  return DAYS * 86400 / a.blockSeconds * (2 * a.attestShare + a.blockShare);
}
function watermarkWriteWatch(prices, a) {
  const writes = signaturesPerMonth(a);
  const events = (n) => n / 1e5 * prices.cloudtrail.data_events_per_100k + n * a.trailBytesPerEvent / 1024 ** 3 * prices.s3.standard_gb_month;
  const m = (n) => `${(n / 1e6).toFixed(3)} M`;
  const streamGbSeconds = writes * 0.01 * (128 / 1024);
  return {
    cloudtrailWrites: { service: "CloudTrail data events (table)", detail: `${m(writes)} item writes, writes only, with their S3 logs`, usd: events(writes) },
    cloudtrailAll: { service: "CloudTrail data events (table)", detail: `${m(2 * writes)} item reads and writes ("All")`, usd: events(2 * writes) },
    stream: {
      service: "DynamoDB stream + checker Lambda",
      detail: `${m(writes)} invocations: sees a lowered value, not who wrote it`,
      usd: writes / 1e6 * prices.lambda.request_per_million + streamGbSeconds * prices.lambda.arm64_gb_second
    }
  };
}
function watermarkWatchReport(prices, a) {
  const w = watermarkWriteWatch(prices, a);
  const row = (label, l) => `  ${label.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`;
  const url = monthly(prices, a, "function_url").reduce((sum, l) => sum + l.usd, 0);
  const withWrites = monthly(prices, { ...a, tableWriteEvents: true }, "function_url").reduce((sum, l) => sum + l.usd, 0);
  return [
    "",
    "watching watermark writes by anyone but the signer (table_data_event_rule_enabled; on in the examples):",
    row("CloudTrail, writes only (chosen)", w.cloudtrailWrites),
    row("CloudTrail, reads and writes", w.cloudtrailAll),
    row("DynamoDB stream + checker", w.stream),
    `  the function URL total with it: ${usd(withWrites)} (${usd(withWrites - url)} more; goal ${usd(GOAL_USD)}: ${withWrites <= GOAL_USD ? "met" : "NOT met"})`
  ];
}
var DEFAULTS = {
  blockSeconds: 6,
  blockShare: 0.01,
  attestShare: 1,
  memoryMb: 256,
  // Billed duration: the read and the KMS Sign overlap, then the write; plus ~9 ms of CPU at 256 MB.
  signMs: 25,
  authorizedKeysMs: 2,
  logBytesPerSign: typicalSignatureLineBytes() + CLOUDWATCH_EVENT_OVERHEAD,
  logBytesPerAuthorizedKeys: 0,
  // WatermarkRefusals, AuthFailures, Errors (docs/interfaces.md)
  customMetrics: METRICS.length,
  eventHoursPerMetric: 24,
  wastedSignShare: 0.01,
  // modules/monitoring/alarms.tf: Lambda Errors, Lambda Throttles, AuthFailures, WatermarkRefusals,
  // handler Errors, no signature for N minutes (test/unit/cost.test.ts counts them in the module)
  alarms: 6,
  dashboards: 1,
  dashboardFree: true,
  keys: 1,
  availabilityZones: 2,
  trail: true,
  trailBytesPerEvent: 200,
  trailFilesPerMonth: 8760,
  tableWriteEvents: false
};
function loadPrices() {
  return JSON.parse(readFileSync(new URL("../cost/prices.json", import.meta.url), "utf8"));
}
var GOAL_USD = 16.5;
var total = (lines) => lines.reduce((sum, l) => sum + l.usd, 0);
var usd = (n) => `$${n.toFixed(2)}`;
function report(prices, a) {
  const out = [];
  const exposures = ["function_url", "http_api", "private_rest_api"];
  const levels = DAYS * 86400 / a.blockSeconds;
  out.push(`Monthly cost at ${a.blockSeconds}-second blocks: ${levels.toLocaleString("en")} levels, ${(levels * (2 * a.attestShare + a.blockShare)).toLocaleString("en")} signatures`);
  out.push(`(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; Lambda ${a.memoryMb} MB, ${a.signMs} ms per signature; audit line ${a.logBytesPerSign} B)`, "");
  for (const exposure of exposures) {
    const lines = monthly(prices, a, exposure);
    out.push(`exposure ${exposure}`);
    for (const l of lines) out.push(`  ${l.service.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`);
    out.push(`  ${"total".padEnd(32)} ${"".padEnd(62)} $${total(lines).toFixed(2).padStart(7)}`, "");
  }
  const url = total(monthly(prices, a, "function_url"));
  out.push(`exposure function_url_iam: the lines of function_url, ${usd(total(monthly(prices, a, "function_url_iam")))}; a Function URL has no charge of its own (floods differ: --flood-rps)`, "");
  out.push(`goal (issue 10): at most ${usd(GOAL_USD)} with the Function URL, monitoring on: ${usd(url)}, ${url <= GOAL_USD ? "met" : "NOT met"}`);
  if (a.dashboardFree) out.push(`  in an account that already has 3 dashboards: ${usd(url + a.dashboards * prices.cloudwatch.dashboard_month)}`);
  out.push(`  without monitoring (no custom metrics, alarms or dashboard): ${usd(total(monthly(prices, a, "function_url", { monitoring: false })))}`);
  out.push(...watermarkWatchReport(prices, a));
  const original = monthly(prices, { ...a, blockSeconds: 15 }, "function_url", { monitoring: false });
  const kms = original.filter((l) => l.service.startsWith("KMS")).reduce((sum, l) => sum + l.usd, 0);
  out.push("", 'the original Lambda/DynamoDB/KMS design ("about $10 a month"), same model at 15-second blocks, no metrics:');
  out.push(`  total ${usd(total(original))} (of which KMS ${usd(kms)})`);
  return out.join("\n") + "\n";
}
var WATERMARK_ITEM_BYTES = 350;
function multiRegionLines(prices, a, third) {
  const signatures = signaturesPerMonth(a);
  const otherReplicas = third === "witness" ? 1 : 2;
  const rwru = signatures * otherReplicas;
  const transferGb = signatures * WATERMARK_ITEM_BYTES * 2 / 1024 ** 3;
  const m = (n) => `${(n / 1e6).toFixed(3)} M`;
  return [
    {
      service: "DynamoDB replicated writes",
      detail: `${m(rwru)} rWRU (${otherReplicas} other replica${otherReplicas > 1 ? "s" : ""}${third === "witness" ? ", witness not billed" : ""})`,
      usd: rwru / 1e6 * prices.multi_region.replicated_write_request_unit_per_million
    },
    {
      service: "Inter-Region replication",
      detail: `${transferGb.toFixed(2)} GB (${WATERMARK_ITEM_BYTES} B items to 2 Regions)`,
      usd: transferGb * prices.multi_region.inter_region_transfer_per_gb
    },
    { service: "KMS replica keys", detail: `${a.keys} replica key(s), billed as keys`, usd: a.keys * prices.kms.asymmetric_key_month },
    { service: "Standby Lambda + Function URL", detail: "billed per request: none while the other Region signs", usd: 0 }
  ];
}
function multiRegionReport(prices, a) {
  const out = [];
  const base = total(monthly(prices, a, "function_url"));
  out.push(`Multi-Region layout at ${a.blockSeconds}-second blocks: ${signaturesPerMonth(a).toLocaleString("en")} signatures, one Region signing at a time`);
  out.push(`(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; exposure function_url, monitoring in the primary Region)`, "");
  for (const third of ["witness", "replica"]) {
    const lines = multiRegionLines(prices, a, third);
    out.push(third === "witness" ? "two replicas and a witness (the default)" : "three replicas");
    out.push(`  ${"single-Region signer".padEnd(32)} ${"npm run cost, exposure function_url".padEnd(62)} $${base.toFixed(2).padStart(7)}`);
    for (const l of lines) out.push(`  ${l.service.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`);
    out.push(`  ${"total".padEnd(32)} ${`+${usd(total(lines))} a month`.padEnd(62)} $${(base + total(lines)).toFixed(2).padStart(7)}`, "");
  }
  return out.join("\n") + "\n";
}
var FLOOD_DEFAULTS = {
  hours: 24,
  // README "HTTP API": the dearest forged authentication measured, a secp256k1 recovery (the generic
  // `sig…` form against 8 sppk keys), steady median 1.97 ms. A request without any `authentication`
  // costs less; the flood is priced at the dearest refusal an attacker can choose.
  refusalCpuMs: 1.97,
  // variables.tf, api_throttling_rate_limit's default (test/unit/cost.test.ts reads it there).
  apiRateLimit: 20
};
var MB_PER_VCPU = 1769;
function refusalBilledMs(a, flood2) {
  return Math.max(1, Math.ceil(flood2.refusalCpuMs * Math.max(1, MB_PER_VCPU / a.memoryMb)));
}
function refusalLineBytes() {
  const pkh = "tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq";
  const line = logLine(
    {
      requestId: "8f6a5c3e-1b2d-4e5f-9a8b-7c6d5e4f3a2b",
      method: "POST",
      route: "key",
      status: 403,
      outcome: "refused",
      reason: "authentication",
      message: `authentication refused: no authorized key signed these bytes for ${pkh}`,
      pkh,
      durationMs: 2.12
    },
    "TezosSigner",
    "tezos-signer",
    17672256e5
  );
  return Buffer.byteLength(JSON.stringify(line) + "\n") + CLOUDWATCH_EVENT_OVERHEAD;
}
function flood(prices, a, exposure, f) {
  const requests = f.rps * f.hours * 3600;
  const m = (n) => `${(n / 1e6).toFixed(3)} M`;
  const refusedByHandler = (n, why) => {
    const billedMs = refusalBilledMs(a, f);
    const gbSeconds = n * billedMs / 1e3 * (a.memoryMb / 1024);
    const logGb = n * refusalLineBytes() / 1024 ** 3;
    return [
      { service: "Lambda requests", detail: `${m(n)} ${why}`, usd: n / 1e6 * prices.lambda.request_per_million },
      { service: "Lambda compute (arm64)", detail: `${gbSeconds.toFixed(0)} GB-s (${billedMs} ms each at ${a.memoryMb} MB)`, usd: gbSeconds * prices.lambda.arm64_gb_second },
      { service: "CloudWatch Logs", detail: `${logGb.toFixed(2)} GB ingested (a refusal line each, AuthFailures)`, usd: logGb * prices.cloudwatch.logs_ingest_per_gb }
    ];
  };
  switch (exposure) {
    case "function_url":
      return refusedByHandler(requests, "refused by the handler (authorization NONE)");
    case "function_url_iam":
      return [{ service: "Function URL (AWS_IAM)", detail: `${m(requests)} refused by Lambda before invocation (403)`, usd: 0 }];
    case "http_api": {
      const admitted = Math.min(f.rps, f.apiRateLimit) * f.hours * 3600;
      return [
        { service: "API Gateway HTTP API", detail: `${m(admitted)} admitted (${f.apiRateLimit} rps); ${m(requests - admitted)} got 429, not billed`, usd: admitted / 1e6 * prices.api_gateway.http_api_per_million },
        ...refusedByHandler(admitted, "admitted, refused by the handler")
      ];
    }
    case "private_rest_api":
      return [{ service: "API Gateway REST API (private)", detail: "not reachable from the internet (VPC endpoints only)", usd: 0 }];
  }
}
function floodReport(prices, a, f) {
  const requests = f.rps * f.hours * 3600;
  const out = [];
  out.push(`Flood of ${f.rps.toLocaleString("en")} unauthenticated requests a second for ${f.hours} h: ${requests.toLocaleString("en")} requests, on top of the month`);
  out.push(
    `(prices: ${prices.region}, ${prices.as_of}, cost/prices.json; a refusal ${f.refusalCpuMs} ms of CPU, billed ${refusalBilledMs(a, f)} ms at ${a.memoryMb} MB; refusal line ${refusalLineBytes()} B)`,
    ""
  );
  for (const exposure of EXPOSURES) {
    const lines = flood(prices, a, exposure, f);
    out.push(`exposure ${exposure}`);
    for (const l of lines) out.push(`  ${l.service.padEnd(32)} ${l.detail.padEnd(62)} $${l.usd.toFixed(2).padStart(7)}`);
    out.push(`  ${"total".padEnd(32)} ${`+${usd(total(lines))} for the flood`.padEnd(62)} $${total(lines).toFixed(2).padStart(7)}`);
    if (exposure === "http_api" && f.rps > f.apiRateLimit) {
      out.push(`  the baker's requests share the ${f.apiRateLimit} rps: about ${(f.apiRateLimit / f.rps * 100).toFixed(1)} % of them get through while it lasts`);
    }
    out.push("");
  }
  return out.join("\n") + "\n";
}

// cli/commands/cost.ts
var usage8 = `usage: tezos-signer cost [--block-seconds S] [--block-share F] [--attest-share F] [--memory MB]
                         [--wasted-sign-share F] [--paid-dashboard] [--multi-region] [--table-write-events]
                         [--flood-rps N [--flood-hours H] [--flood-refusal-ms MS] [--api-rate-limit RPS]]
                         [--json]

The monthly AWS cost of a signer, per exposure, from cost/prices.json (docs/cost.md). Also \`npm run cost\`.
  --block-seconds S       seconds per level (default ${DEFAULTS.blockSeconds})
  --block-share F         share of the levels whose block this baker signs (default ${DEFAULTS.blockShare})
  --attest-share F        share of the levels it (pre)attests (default ${DEFAULTS.attestShare})
  --memory MB             Lambda memory (default ${DEFAULTS.memoryMb})
  --wasted-sign-share F   share of requests whose early KMS Sign is thrown away (default ${DEFAULTS.wastedSignShare})
  --paid-dashboard        the account already has 3 dashboards: this one is paid
  --multi-region          what signing from two Regions adds (docs/multi-region.md)
  --table-write-events    count the watermark table's writes as CloudTrail data events (the examples)
  --flood-rps N           instead of the month: what a flood of N unauthenticated requests a second adds,
                          per exposure (docs/cost.md, "Floods")
  --flood-hours H         how long the flood lasts (default ${FLOOD_DEFAULTS.hours})
  --flood-refusal-ms MS   CPU time, on a full core, the handler spends refusing one request (default
                          ${FLOOD_DEFAULTS.refusalCpuMs}: the dearest forged authentication measured, README "HTTP API")
  --api-rate-limit RPS    the HTTP API stage's throttle, api_throttling_rate_limit (default ${FLOOD_DEFAULTS.apiRateLimit})
  --json                  the figures as JSON
Exit codes: 0 printed; 2 usage.
`;
function number(flag, text, kind) {
  if (text === void 0) return void 0;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || kind === "positive" && value === 0) throw new UsageError(`--${flag}: not a ${kind} number: ${text}`);
  return value;
}
function costArgs(argv) {
  const { values } = parseArgs8({
    args: argv,
    options: {
      "block-seconds": { type: "string" },
      "block-share": { type: "string" },
      "attest-share": { type: "string" },
      memory: { type: "string" },
      "wasted-sign-share": { type: "string" },
      "paid-dashboard": { type: "boolean", default: false },
      "multi-region": { type: "boolean", default: false },
      "table-write-events": { type: "boolean", default: false },
      "flood-rps": { type: "string" },
      "flood-hours": { type: "string" },
      "flood-refusal-ms": { type: "string" },
      "api-rate-limit": { type: "string" },
      json: { type: "boolean", default: false }
    },
    strict: true
  });
  const assumptions = { ...DEFAULTS, ...values["paid-dashboard"] ? { dashboardFree: false } : {}, ...values["table-write-events"] ? { tableWriteEvents: true } : {} };
  assumptions.blockSeconds = number("block-seconds", values["block-seconds"], "positive") ?? assumptions.blockSeconds;
  assumptions.blockShare = number("block-share", values["block-share"], "non-negative") ?? assumptions.blockShare;
  assumptions.attestShare = number("attest-share", values["attest-share"], "non-negative") ?? assumptions.attestShare;
  assumptions.memoryMb = number("memory", values.memory, "positive") ?? assumptions.memoryMb;
  assumptions.wastedSignShare = number("wasted-sign-share", values["wasted-sign-share"], "non-negative") ?? assumptions.wastedSignShare;
  const rps = number("flood-rps", values["flood-rps"], "positive");
  const floodOptions = {
    hours: number("flood-hours", values["flood-hours"], "positive"),
    refusalCpuMs: number("flood-refusal-ms", values["flood-refusal-ms"], "non-negative"),
    apiRateLimit: number("api-rate-limit", values["api-rate-limit"], "positive")
  };
  const parsed = { assumptions, json: values.json, multiRegion: values["multi-region"] };
  if (rps === void 0) {
    const stray = Object.entries({ "flood-hours": floodOptions.hours, "flood-refusal-ms": floodOptions.refusalCpuMs, "api-rate-limit": floodOptions.apiRateLimit }).find(([, v]) => v !== void 0);
    if (stray !== void 0) throw new UsageError(`--${stray[0]} needs --flood-rps`);
    return parsed;
  }
  if (parsed.multiRegion) throw new UsageError("--multi-region and --flood-rps print different reports: give one of them");
  return {
    ...parsed,
    flood: {
      rps,
      hours: floodOptions.hours ?? FLOOD_DEFAULTS.hours,
      refusalCpuMs: floodOptions.refusalCpuMs ?? FLOOD_DEFAULTS.refusalCpuMs,
      apiRateLimit: floodOptions.apiRateLimit ?? FLOOD_DEFAULTS.apiRateLimit
    }
  };
}
var cost = {
  name: "cost",
  summary: "the monthly AWS cost per exposure, and what a flood adds (docs/cost.md)",
  usage: usage8,
  async run(argv) {
    const { assumptions: a, json, multiRegion, flood: f } = costArgs(argv);
    const prices = loadPrices();
    const source = { region: prices.region, as_of: prices.as_of };
    if (f !== void 0) {
      if (!json) process.stdout.write(floodReport(prices, a, f));
      else {
        const exposures = EXPOSURES.map((exposure) => ({ exposure, lines: flood(prices, a, exposure, f), total: total(flood(prices, a, exposure, f)) }));
        printJson({ prices: source, assumptions: a, flood: { ...f, billedMsPerRefusal: refusalBilledMs(a, f) }, exposures });
      }
      return EXIT.ok;
    }
    if (multiRegion) {
      if (!json) process.stdout.write(multiRegionReport(prices, a));
      else {
        const layouts = ["witness", "replica"].map((third) => ({ third, lines: multiRegionLines(prices, a, third), added: total(multiRegionLines(prices, a, third)) }));
        printJson({ prices: source, assumptions: a, singleRegion: total(monthly(prices, a, "function_url")), layouts });
      }
      return EXIT.ok;
    }
    if (!json) {
      process.stdout.write(report(prices, a));
      return EXIT.ok;
    }
    const tables = EXPOSURES.map((e) => ({ exposure: e, lines: monthly(prices, a, e) }));
    const original = monthly(prices, { ...a, blockSeconds: 15 }, "function_url", { monitoring: false });
    printJson({ prices: source, assumptions: a, goal: GOAL_USD, tables: tables.map((t) => ({ ...t, total: total(t.lines) })), original15s: { lines: original, total: total(original) } });
    return EXIT.ok;
  }
};

// cli/main.ts
var COMMANDS = [serve, keys, authorizedKey, setupBaker, check, watermarks, failover, cost];
function help() {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: tezos-signer <command> [options]   (--help on each command; --version)",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Exit codes: 0 ok; 1 a check failed; 2 usage; 3 unreachable; 4 a KMS key or table that does not exist or cannot be used.",
    ""
  ].join("\n");
}
function version() {
  const pkg = JSON.parse(readFileSync2(new URL("../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}
function usageError(command, message) {
  const line = message.replace(/:\n- /, ": ").replace(/\n- /g, "; ").replace(/\s*\n\s*/g, " ").replace(/\.$/, "");
  process.stderr.write(`tezos-signer${command ? ` ${command}` : ""}: ${line}; see --help
`);
  return EXIT.usage;
}
function parseErrorMessage(error) {
  const ambiguous = /^Option '(?:-\w, )?(--[^']+)' argument is ambiguous/.exec(error.message);
  if (ambiguous) return `${ambiguous[1]} needs a value (write ${ambiguous[1]}=-… for one that starts with '-')`;
  return error.message.split(/\.\s+(?=[A-Z])/)[0];
}
async function main(argv) {
  guardStdout();
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(help());
    return EXIT.ok;
  }
  if (name === "--version") {
    process.stdout.write(`tezos-signer ${version()}
`);
    return EXIT.ok;
  }
  if (name === void 0) return usageError(void 0, "a command is required (tezos-signer --help lists them)");
  const command = COMMANDS.find((c) => c.name === name);
  if (command === void 0) return usageError(void 0, `unknown command: ${name}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) return usageError(name, error.message);
    if (error.code?.startsWith("ERR_PARSE_ARGS")) return usageError(name, parseErrorMessage(error));
    if (error instanceof CommandFailure && error.exitCode === EXIT.usage) return usageError(name, error.message);
    process.stderr.write(`tezos-signer ${name}: ${error instanceof Error ? error.message : String(error)}
`);
    if (error instanceof CommandFailure) return error.exitCode;
    if (error instanceof DataDirBusy) return EXIT.unreachable;
    return EXIT.failed;
  }
}
export {
  COMMANDS,
  main
};
