export interface Artefact {
  readonly file: string;
  readonly options: Record<string, unknown>;
}
export const ARTEFACTS: readonly Artefact[];
export function buildArtefact(artefact: Artefact): Promise<Uint8Array>;
