import type { Plugin } from 'esbuild';
export function compactErrorClasses(source: string, file?: string): string;
export function versionOnly(source: string): string;
export function partitionsWithoutDescriptions(source: string): string;
export const REWRITES: Readonly<Record<string, { readonly filter: RegExp; rewrite(source: string, path: string): [string, 'js' | 'json'] }>>;
export const REPLACED_FILES: Readonly<Record<string, string>>;
export function lambdaTrims(root: string, names?: readonly string[]): Plugin;
