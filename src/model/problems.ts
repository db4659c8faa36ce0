// Zod issues as Mixgraph problems: a JSON path (`nodes[3].params.gain`) and the schema's own message.
// An object's unknown fields come as one issue listing them; each becomes its own problem at its key.
import type { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["nodes", 3, "params", "gain"]` -> `nodes[3].params.gain`; odd keys quoted: `values["drums/comp"]`. */
export function jsonPath(parts: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      if (IDENTIFIER.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

export function issueProblems(issues: readonly z.core.$ZodIssue[], prefix: string): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: jsonPath([...issue.path, key], prefix), message: issue.message });
      continue;
    }
    out.push({ path: jsonPath(issue.path, prefix), message: issue.message });
  }
  return out;
}
