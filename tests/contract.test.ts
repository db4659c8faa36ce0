// The contract every node definition keeps. It loops over the registry, so a new node type is
// checked (specs, build, render, dispose) as soon as it is registered: its runtime processor, the
// one engine the CLI and the editor run.
import { describe, expect, it } from 'vitest';
import type { NodeDefinition, ParamSpec } from '../nodes/define.ts';
import { definitions, getDefinition } from '../nodes/registry.ts';
import type { DocEdge, DocNode, SessionDoc } from '../src/model/document.ts';
import { checkParams, defaultParams } from '../src/model/params.ts';
import { Runtime } from '../src/runtime/runtime.ts';
import { allFinite, edge, planOf, session } from './helpers/audio.ts';

/** Every problem with one param spec's own default (and, for lists, with its items' specs). */
function specProblems(name: string, spec: ParamSpec): string[] {
  const out: string[] = [];
  switch (spec.kind) {
    case 'number':
      if (!(spec.min < spec.max)) out.push(`${name}: min ${spec.min} is not below max ${spec.max}`);
      if (!(spec.default >= spec.min && spec.default <= spec.max)) out.push(`${name}: default ${spec.default} outside [${spec.min}, ${spec.max}]`);
      if (spec.scale === 'log' && !(spec.min > 0)) out.push(`${name}: a log scale needs min > 0, got ${spec.min}`);
      break;
    case 'enum':
      if (spec.options.length === 0) out.push(`${name}: no options`);
      if (!spec.options.includes(spec.default)) out.push(`${name}: default ${JSON.stringify(spec.default)} not among ${spec.options.join(', ')}`);
      break;
    case 'bool':
      if (typeof spec.default !== 'boolean') out.push(`${name}: default is not a boolean`);
      break;
    case 'string':
      if (typeof spec.default !== 'string') out.push(`${name}: default is not a string`);
      else if (spec.maxLength !== undefined && spec.default.length > spec.maxLength) out.push(`${name}: default longer than ${spec.maxLength}`);
      break;
    case 'list':
      if (spec.default.length > spec.maxItems) out.push(`${name}: ${spec.default.length} default items, max ${spec.maxItems}`);
      for (const req of spec.required) if (!(req in spec.item)) out.push(`${name}: required field ${req} is not an item field`);
      for (const [key, item] of Object.entries(spec.item)) out.push(...specProblems(`${name}[].${key}`, item));
      break;
  }
  return out;
}

describe.each(definitions.map((d) => [d.type, d] as const))('node type %s', (type, def: NodeDefinition) => {
  it('is registered under its type, with a title, a description and ports', () => {
    expect(getDefinition(type)).toBe(def);
    expect(def.title.trim()).not.toBe('');
    expect(def.description.trim().length).toBeGreaterThan(20);
    expect(Array.isArray(def.ports.inputs)).toBe(true);
    expect(Array.isArray(def.ports.outputs)).toBe(true);
    // Only the reference is port-less: it plays to the speakers during A/B and is never part of the mix.
    if (def.type !== 'reference') expect(def.ports.inputs.length + def.ports.outputs.length).toBeGreaterThan(0);
    const ids = [...def.ports.inputs, ...def.ports.outputs].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length); // port ids are unique
    expect(Number.isInteger(def.version) && def.version >= 1).toBe(true);
    if (def.bypassable) expect(def.ports.inputs.length > 0 && def.ports.outputs.length > 0).toBe(true);
  });

  it('has every default inside its own spec (numbers in [min, max], enums among the options)', () => {
    const problems = Object.entries(def.params).flatMap(([name, spec]) => specProblems(name, spec));
    expect(problems).toEqual([]);
    // ...and the validator agrees the defaults are valid params
    expect(checkParams(def, defaultParams(def))).toEqual([]);
  });

  /** The node with its defaults; a generator feeds every non-optional input; every output goes to the master. */
  const withDefaults = (): SessionDoc => {
    const nodes: DocNode[] = [{ id: 'x', type, params: defaultParams(def) }];
    const edges: DocEdge[] = [];
    if (type !== 'master') {
      nodes.push({ id: 'm', type: 'master', params: defaultParams(getDefinition('master')!) });
      for (const o of def.ports.outputs) edges.push(edge(`x.${o.id}`, 'm'));
    }
    const feeds = def.ports.inputs.filter((p) => !p.optional);
    if (feeds.length > 0) {
      nodes.push({ id: 'g', type: 'generator', params: defaultParams(getDefinition('generator')!) });
      for (const p of feeds) edges.push(edge('g', `x.${p.id}`));
    }
    return session(nodes, edges);
  };

  it('builds its processor with default params, renders 0.5 s of finite stereo audio, answers its readings, and disposes', () => {
    const sampleRate = 48000;
    const runtime = new Runtime({ sampleRate });
    runtime.update(planOf(withDefaults()));
    runtime.start(0);
    const out = [new Float32Array(sampleRate / 2), new Float32Array(sampleRate / 2)];
    runtime.render(out, sampleRate / 2);
    for (const c of out) expect(allFinite(c)).toBe(true);
    // Every reading it declares is a number once audio has run
    for (const name of def.readings ?? []) expect(typeof runtime.reading('x', name), `${type} reading ${name}`).toBe('number');
    // ...and every output port is metered
    for (const port of [...def.ports.outputs.map((p) => p.id), ...(def.speakers ? ['speakers'] : [])]) expect(runtime.meterIndex('x', port)).toBeGreaterThanOrEqual(0);
    expect(() => runtime.dispose()).not.toThrow();
    expect(runtime.currentPlan).toBeNull();
  });
});

it('the registry has unique types', () => {
  const types = definitions.map((d) => d.type);
  expect(new Set(types).size).toBe(types.length);
});
