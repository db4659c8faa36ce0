// Checking and completing parameter values against a node definition's specs.
import type { ListParam, NodeDefinition, ParamSpec, ParamValue, Params } from '../../nodes/define.ts';

export interface ParamProblem {
  /** Path below the node's params, e.g. `bands[2].q`. */
  path: string;
  message: string;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmt = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function describeRange(spec: { min: number; max: number; unit: string }): string {
  const u = spec.unit && spec.unit !== 'ratio' && spec.unit !== 'mix' && spec.unit !== 'pan' && spec.unit !== 'Q' ? ` ${spec.unit}` : '';
  return `${spec.min}..${spec.max}${u}`;
}

export function checkValue(spec: ParamSpec, value: unknown, path: string, out: ParamProblem[]): void {
  switch (spec.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) out.push({ path, message: `must be a number in ${describeRange(spec)}, got ${fmt(value)}` });
      else if (value < spec.min || value > spec.max) out.push({ path, message: `${value} is out of range ${describeRange(spec)}` });
      return;
    case 'bool':
      if (typeof value !== 'boolean') out.push({ path, message: `must be true or false, got ${fmt(value)}` });
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.options.includes(value)) out.push({ path, message: `must be one of ${spec.options.join(', ')}, got ${fmt(value)}` });
      return;
    case 'string':
      if (typeof value !== 'string') out.push({ path, message: `must be a string, got ${fmt(value)}` });
      else if (spec.maxLength !== undefined && value.length > spec.maxLength) out.push({ path, message: `is longer than ${spec.maxLength} characters` });
      else if (spec.format === 'color' && value !== '' && !/^#[0-9a-fA-F]{3,8}$/.test(value)) out.push({ path, message: `must be a hex colour like #e05a47, got ${fmt(value)}` });
      return;
    case 'list':
      checkList(spec, value, path, out);
      return;
  }
}

function checkList(spec: ListParam, value: unknown, path: string, out: ParamProblem[]): void {
  if (!Array.isArray(value)) {
    out.push({ path, message: `must be a list, got ${fmt(value)}` });
    return;
  }
  if (value.length > spec.maxItems) out.push({ path, message: `has ${value.length} items; at most ${spec.maxItems} are allowed` });
  value.slice(0, spec.maxItems).forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(item)) {
      out.push({ path: at, message: 'must be an object' });
      return;
    }
    for (const key of Object.keys(item)) {
      if (!hasOwn(spec.item, key)) out.push({ path: `${at}.${key}`, message: `unknown field; known: ${Object.keys(spec.item).join(', ')}` });
    }
    for (const [key, itemSpec] of Object.entries(spec.item)) {
      if (!hasOwn(item, key)) {
        if (spec.required.includes(key)) out.push({ path: `${at}.${key}`, message: 'is required' });
        continue;
      }
      checkValue(itemSpec, item[key], `${at}.${key}`, out);
    }
  });
}

/** Every problem with a node's params: unknown names, wrong types, out-of-range values. */
export function checkParams(def: NodeDefinition, params: unknown): ParamProblem[] {
  const out: ParamProblem[] = [];
  if (params === undefined) return out;
  if (!isRecord(params)) return [{ path: '', message: 'params must be an object' }];
  for (const key of Object.keys(params)) {
    if (!hasOwn(def.params, key)) {
      const known = Object.keys(def.params);
      out.push({ path: key, message: `unknown parameter for ${def.type}; known: ${known.length ? known.join(', ') : 'none'}` });
    }
  }
  for (const [key, spec] of Object.entries(def.params)) {
    if (hasOwn(params, key)) checkValue(spec, params[key], key, out);
  }
  return out;
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
