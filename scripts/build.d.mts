export interface Artefact {
  readonly file: string;
  readonly options: Record<string, unknown>;
}
export const ARTEFACTS: readonly Artefact[];
export function buildArtefact(artefact: Artefact): Promise<Uint8Array>;
export const LAMBDA_ZIP: string;
export function lambdaZip(handlerBytes: Uint8Array): Buffer;
export const LAMBDA_RUNTIMES: readonly string[];
export const LAMBDA_TARGET: string;
export const HOST_TARGET: string;
