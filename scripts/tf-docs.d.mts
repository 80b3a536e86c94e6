export declare const DOC_DIRS: string[];
export declare function renderDocs(dir: string): Promise<string>;
export declare function splice(readme: string, docs: string): string;
export declare function sanitizeDescription(s: string | undefined): string;
