// Checking and completing parameter values against a node definition's specs. The checks are the
// format's schema for the type's params (src/presets/schema.ts), so a file and the editor are checked
// by the same rules with the same words.
import type { ListParam, NodeDefinition, ParamSpec, ParamValue, Params } from '../../nodes/define.ts';
import { paramSchema, paramsSchema } from '../presets/schema.ts';
import { issueProblems } from './problems.ts';

export interface ParamProblem {
  /** Path below the node's params, e.g. `bands[2].q`. */
  path: string;
  message: string;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Problems with one value of `spec` (the path prefixes each). */
export function checkValue(spec: ParamSpec, value: unknown, path: string, out: ParamProblem[]): void {
  const result = paramSchema(spec).safeParse(value);
  if (!result.success) out.push(...issueProblems(result.error.issues, path));
}

// Params objects of frozen (immer-made) nodes do not change: their problems are worked out once.
const checked = new WeakMap<object, { def: NodeDefinition; problems: ParamProblem[] }>();

/** Every problem with a node's params: unknown names, wrong types, out-of-range values. */
export function checkParams(def: NodeDefinition, params: unknown): ParamProblem[] {
  if (params === undefined) return [];
  const frozen = typeof params === 'object' && params !== null && Object.isFrozen(params);
  const hit = frozen ? checked.get(params) : undefined;
  if (hit && hit.def === def) return hit.problems;
  const result = paramsSchema(def).safeParse(params);
  const problems = result.success ? [] : issueProblems(result.error.issues, '');
  if (frozen) checked.set(params as object, { def, problems });
  return problems;
}

function fillValue(spec: ParamSpec, value: unknown): ParamValue {
  if (value === undefined) return spec.kind === 'list' ? spec.default.map((i) => fillItem(spec, i)) : spec.default;
  if (spec.kind === 'list' && Array.isArray(value)) return value.map((i) => fillItem(spec, i as Record<string, unknown>));
  return value as ParamValue;
}

function fillItem(spec: ListParam, item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(spec.item)) out[key] = hasOwn(item, key) ? item[key] : fillValue(s, undefined);
  return out;
}

/** The params with every omitted one (and every omitted list-item field) at its default. */
export function fillParams(def: NodeDefinition, params: Params | undefined): Params {
  const out: Params = {};
  for (const [key, spec] of Object.entries(def.params)) out[key] = fillValue(spec, params && hasOwn(params, key) ? params[key] : undefined);
  return out;
}

/** Default params of a node type. */
export function defaultParams(def: NodeDefinition): Params {
  return fillParams(def, undefined);
}
