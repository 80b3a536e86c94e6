// Stands in for @smithy/core's pure-JS SHA-256 in the Lambda bundle (scripts/lambda-trims.mjs): Sha256Node
// uses it only where node:crypto cannot hash SHA-256, which no Node runtime of Lambda is.
export class Sha256Js {
  constructor() {
    throw new Error('no pure-JS SHA-256 in the Lambda bundle: node:crypto hashes it (lambda/src/trims/no-sha256-js.ts)');
  }
}
