export interface Check {
  version: string;
  root: string;
  kind: 'validate' | 'plan' | 'test' | 'fixture' | 'scenario';
  name: string;
  command?: string;
  expect?: string[];
  steps?: ScenarioStep[];
}
export interface ScenarioStep {
  args: string[];
  expect: 'ok' | 'fail';
  contains?: string[];
  /** How many `Error:` diagnostics the output must hold. */
  errors?: number;
  why?: string;
}
export interface CheckResult extends Check {
  ok: boolean;
  detail: string;
  ms: number;
}
export declare function terraformRoots(): string[];
export declare function fixtures(): { root: string; command: string; expect: string[] }[];
export declare function scenarios(): { name: string; root: string; steps: ScenarioStep[] }[];
export declare function plannedChecks(versions?: string[]): Check[];
export declare function runChecks(report?: (r: CheckResult) => void): Promise<{ terraform: string; results: CheckResult[] } | null>;
