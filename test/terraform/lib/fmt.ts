// `terraform fmt` without terraform: @cdktn/hcl-tools is hclwrite (the formatter terraform fmt
// runs) compiled to WebAssembly. Used where no terraform binary is on PATH; never a hand-written
// subset of the rules.
import { format } from '@cdktn/hcl-tools';

/** The file as terraform fmt would write it. */
export function formatHcl(text: string): Promise<string> {
  return format(text);
}

/** Lines that differ between the file and its formatted form, as "line N: <formatted line>". */
export async function fmtProblems(text: string): Promise<string[]> {
  const formatted = await formatHcl(text);
  if (formatted === text) return [];
  const a = text.split('\n');
  const b = formatted.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push(`line ${i + 1}: ${JSON.stringify(a[i])} -> ${JSON.stringify(b[i])}`);
  return out;
}
