// A subset of `terraform fmt`, since no terraform binary exists here: the rules hclwrite applies
// that hand-written HCL most often breaks. Not a full formatter; CI runs terraform fmt -check.
//  - indentation: two spaces per open bracket level, closing lines one level less;
//  - "=" alignment: consecutive lines holding "name = value" where the value opens no bracket form
//    a chain, and their "=" line up one space after the longest name (hclwrite's formatCells);
//    a line without such an assignment (blank, comment, block, multi-line value) ends the chain;
//  - no tabs, no trailing spaces, a final newline, no blank line right after "{" or before "}".

interface Line {
  no: number;
  text: string;
  inHeredoc: boolean;
}

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);

/** Walks the code of a line outside strings; returns the net bracket change and where "=" is. */
function scan(code: string): { net: number; equalAt: number; netAfterEqual: number } {
  let net = 0;
  let seenCode = false;
  let equalAt = -1;
  let netAfterEqual = 0;
  let inString = false;
  let interp = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '$' && code[i + 1] === '{') {
        interp++;
        inString = false;
        i++;
        net++;
        if (equalAt >= 0) netAfterEqual++;
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === '#' || (c === '/' && code[i + 1] === '/')) break;
    if (c === '"') {
      inString = true;
      seenCode = true;
      continue;
    }
    if (c === '}' && interp > 0) {
      // end of an interpolation: back into the string (net bracket 0 for the ${...} pair)
      interp--;
      net--;
      if (equalAt >= 0) netAfterEqual--;
      inString = true;
      continue;
    }
    if (OPEN.has(c)) {
      net++;
      if (equalAt >= 0) netAfterEqual++;
      seenCode = true;
    } else if (CLOSE.has(c)) {
      net--;
      if (equalAt >= 0) netAfterEqual--;
    } else if (c !== ' ') {
      if (c === '=' && equalAt < 0 && code[i + 1] !== '=' && code[i + 1] !== '>' && !['=', '!', '<', '>'].includes(code[i - 1] ?? '') && i > 0) {
        equalAt = i;
      }
      seenCode = true;
    }
  }
  return { net, equalAt, netAfterEqual };
}

export function fmtProblems(source: string): string[] {
  const problems: string[] = [];
  if (!source.endsWith('\n')) problems.push('no final newline');
  const raw = source.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const lines: Line[] = [];
  let heredoc: string | undefined;
  raw.forEach((text, i) => {
    const inHeredoc = heredoc !== undefined;
    lines.push({ no: i + 1, text, inHeredoc });
    if (heredoc !== undefined) {
      if (text.trim() === heredoc) heredoc = undefined;
      return;
    }
    const m = text.match(/<<-?([A-Z_]+)\s*$/);
    if (m) heredoc = m[1];
  });

  // hclwrite's indent stack: each line that opens brackets pushes its net count (one level,
  // however many brackets); closing lines pop as many brackets as they close.
  const indents: number[] = [];
  let chain: Array<{ no: number; lead: number; eq: number; indent: number }> = [];
  const closeChain = () => {
    if (chain.length > 0) {
      const width = Math.max(...chain.map((c) => c.lead));
      for (const c of chain) if (c.eq !== width + 1) problems.push(`line ${c.no}: "=" at column ${c.indent + c.eq + 1}, terraform fmt aligns it at ${c.indent + width + 2}`);
    }
    chain = [];
  };

  for (const [idx, line] of lines.entries()) {
    const { text, no } = line;
    if (line.inHeredoc) {
      closeChain();
      continue;
    }
    if (text.includes('\t')) problems.push(`line ${no}: tab`);
    if (/\s+$/.test(text)) problems.push(`line ${no}: trailing whitespace`);
    const trimmed = text.trim();
    if (trimmed === '') {
      closeChain();
      const prev = lines[idx - 1]?.text.trim() ?? '';
      const next = lines[idx + 1]?.text.trim() ?? '';
      if (prev.endsWith('{')) problems.push(`line ${no}: blank line after "{"`);
      if (next === '}') problems.push(`line ${no}: blank line before "}"`);
      continue;
    }
    const { net, equalAt, netAfterEqual } = scan(trimmed);
    let expected: number;
    if (net > 0) {
      expected = 2 * indents.length;
      indents.push(net);
    } else if (net < 0) {
      let closed = -net;
      while (closed > 0 && indents.length > 0) {
        const top = indents[indents.length - 1]!;
        if (closed < top) {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        } else {
          closed -= top;
          indents.pop();
        }
      }
      expected = 2 * indents.length;
    } else {
      expected = 2 * indents.length;
    }
    const indent = text.length - text.trimStart().length;
    if (indent !== expected) problems.push(`line ${no}: indented ${indent}, expected ${expected}`);
    const isComment = trimmed.startsWith('#') || trimmed.startsWith('//');
    if (!isComment && equalAt > 0 && netAfterEqual === 0) {
      const lead = trimmed.slice(0, equalAt).trimEnd().length;
      chain.push({ no, lead, eq: equalAt, indent });
      if (trimmed[equalAt + 1] !== ' ') problems.push(`line ${no}: no space after "="`);
    } else {
      closeChain();
    }
  }
  closeChain();
  if (indents.length !== 0) problems.push(`unbalanced brackets at end of file`);
  return problems;
}
