export declare const repoRoot: string;
export declare const SCHEMA_DIR: string;
export declare function schemaVersions(): string[];
export declare function terraformVersion(): string | null;
export declare function installOfflineProvider(versions?: string[], cacheDir?: string): Promise<{ version: string; cliConfig: string }[]>;
export declare function terraformEnv(cliConfig?: string): NodeJS.ProcessEnv;
export declare function scratchCopy(): { dir: string; remove: () => void };
export declare function terraform(args: string[], options: { cwd: string; cliConfig?: string; timeoutMs?: number }): Promise<{ code: number; output: string }>;
