// One list of Lambda runtimes (scripts/build.mjs LAMBDA_RUNTIMES) drives the bundle's esbuild target,
// the `runtime` input's validation and default (variables.tf), the function (lambda.tf) and the Node
// majors CI tests on (.ci/run): a runtime added or dropped in one place and not the others fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ARTEFACTS, HOST_TARGET, LAMBDA_RUNTIMES, LAMBDA_TARGET, buildArtefact } from '../../scripts/build.mjs';
import { moduleAt, repoRoot } from '../terraform/lib/tf.js';

const majors = LAMBDA_RUNTIMES.map((r) => Number(/^nodejs(\d+)\.x$/.exec(r)?.[1]));
const oldest = Math.min(...majors);
const newest = Math.max(...majors);

describe('the Lambda runtimes: one list', async () => {
  const root = await moduleAt('.');
  const variable = root.variable.runtime as { default: string; validation: Array<{ condition: string }> };

  test('every runtime is nodejsNN.x', () => {
    expect(majors.every((m) => Number.isInteger(m))).toBe(true);
    expect([oldest, newest]).toEqual([22, 24]);
  });

  test('variables.tf validates exactly that list, and defaults to the newest', () => {
    const conditions = variable.validation.map((v) => v.condition).join('\n');
    const listed = /contains\(\[([^\]]*)\], var\.runtime\)/.exec(conditions)?.[1];
    expect(listed, conditions).toBeDefined();
    expect([...listed!.matchAll(/"([^"]+)"/g)].map((m) => m[1])).toEqual([...LAMBDA_RUNTIMES]);
    expect(variable.default).toBe(`nodejs${newest}.x`);
  });

  test('the function runs var.runtime', () => {
    expect(root.resource.aws_lambda_function!.this!.runtime).toBe('${var.runtime}');
  });

  test("the bundle is built for the oldest runtime's Node major, so it runs on every allowed runtime", () => {
    expect(LAMBDA_TARGET).toBe(`node${oldest}`);
    const lambda = ARTEFACTS.find((a) => a.file === 'lambda/dist/handler.mjs')!;
    expect(lambda.options.target).toBe(LAMBDA_TARGET);
  });

  // `serve` runs the same bundle on the machine's Node (package.json engines, >=20.19): built for that
  // Node it must be the same bytes, so nothing in it needs a newer Node than serve's.
  test("the bundle is the same bytes built for serve's oldest Node; the CLI is built for that Node", async () => {
    expect(HOST_TARGET).toBe('node20.19');
    const lambda = ARTEFACTS.find((a) => a.file === 'lambda/dist/handler.mjs')!;
    const [forLambda, forHost] = await Promise.all([buildArtefact(lambda), buildArtefact({ ...lambda, options: { ...lambda.options, target: HOST_TARGET } })]);
    expect(Buffer.compare(Buffer.from(forLambda), Buffer.from(forHost))).toBe(0);
    expect(ARTEFACTS.find((a) => a.file === 'dist/cli.mjs')!.options.target).toBe(HOST_TARGET);
  });

  test('CI runs the whole suite on the newest runtime and a subset on the oldest', () => {
    const ci = readFileSync(join(repoRoot, '.ci/run'), 'utf8');
    expect(ci).toMatch(new RegExp(`^lambda_major=${newest}$`, 'm'));
    expect(ci).toMatch(new RegExp(`^oldest_major=${oldest}$`, 'm'));
  });
});
