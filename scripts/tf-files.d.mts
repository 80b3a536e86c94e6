export declare const repoRoot: string;
export interface TfModule {
  dir: string;
  files: Record<string, any>;
  variable: Record<string, any>;
  output: Record<string, any>;
  module: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  locals: Record<string, any>;
  localsFile: Record<string, string>;
  terraform: any[];
}
export declare function moduleDirs(root?: string): string[];
export declare function tfFiles(dir: string): string[];
export declare function rel(path: string, root?: string): string;
export declare function parseFile(path: string): Promise<Record<string, any>>;
export declare function loadModule(dir: string): Promise<TfModule>;
export declare function usedTypes(root?: string): Promise<{ resources: string[]; dataSources: string[] }>;
