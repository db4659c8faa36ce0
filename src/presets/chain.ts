// Chains: load and check a "kind": "chain" document, and turn it into a session that runs one
// source through it. A chain is checked by the session validator itself, on the session it
// becomes (a track at `input`, the master at `output`), so every graph rule holds for chains
// too, and the problems are mapped back to the chain's own paths and ids.
import { getDefinition } from '../../nodes/registry.ts';
import type { Params } from '../../nodes/define.ts';
import { endpoints, indexGraph, reachable as reachableFrom } from '../graph/walk.ts';
import { CHAIN_EXCLUDED_TYPES, CHAIN_INPUT, CHAIN_OUTPUT, walkNodes, type ChainDoc, type DocEdge, type DocNode, type SessionDoc } from '../model/document.ts';
import { fillParams } from '../model/params.ts';
import { exposeProblem, validate, type Problem } from '../model/validate.ts';
import { parseJson } from './json.ts';
import { fillGraph, graphShape, migrateValue, orThrow } from './load.ts';
import { chainFileSchema } from './schema.ts';

export type ChainResult = { ok: true; doc: ChainDoc } | { ok: false; problems: Problem[] };

/** The session a chain becomes: `input` is a track playing `source`, `output` the master. */
export function chainToSession(chain: ChainDoc, source = '', trackParams: Params = {}): SessionDoc {
  const track = getDefinition('track')!;
  const master = getDefinition('master')!;
  const input: DocNode = { id: CHAIN_INPUT, type: 'track', params: fillParams(track, { ...trackParams, source }) };
  const output: DocNode = { id: CHAIN_OUTPUT, type: 'master', params: fillParams(master, {}) };
  // Appended, not prepended: problems about nodes[i] keep the chain's own indices.
  const { exposed: _knobs, ...graph } = chain;
  return { ...graph, kind: 'session', nodes: [...chain.nodes, input, output] };
}

/** Problems that only chains have; the graph rules come from the session validator. */
function chainProblems(chain: ChainDoc): Problem[] {
  const problems: Problem[] = [];
  chain.nodes.forEach((n, i) => {
    if (n.id === CHAIN_INPUT || n.id === CHAIN_OUTPUT) {
      problems.push({ path: `nodes[${i}].id`, node: n.id, message: `"${n.id}" is reserved in a chain for where the sound comes ${n.id === CHAIN_INPUT ? 'in' : 'out'}; give this node another id` });
    }
  });
  for (const { node, path } of walkNodes(chain)) {
    if (!CHAIN_EXCLUDED_TYPES.has(node.type)) continue;
    const i = chain.nodes.indexOf(node);
    problems.push({
      path: i >= 0 ? `nodes[${i}].type` : 'nodes',
      node: path,
      message: `a chain cannot hold a ${node.type} node: it takes its sound from "${CHAIN_INPUT}" and gives it to "${CHAIN_OUTPUT}" (save a session instead if you need ${node.type === 'master' ? 'a master' : 'sources'})`,
    });
  }
  (chain.exposed ?? []).forEach((x, i) => {
    const child = chain.nodes.find((n) => n.id === x.node);
    if (!child) problems.push({ path: `exposed[${i}].node`, message: `the chain has no node "${x.node}"` });
    else {
      const why = exposeProblem(child, x.param);
      if (why) problems.push({ path: `exposed[${i}].param`, message: why });
    }
    if ((chain.exposed ?? []).findIndex((y) => y.id === x.id) !== i) problems.push({ path: `exposed[${i}].id`, message: `duplicate knob "${x.id}"` });
  });
  chain.edges.forEach((e, i) => {
    if (e.to === CHAIN_INPUT) problems.push({ path: `edges[${i}].to`, message: `"${CHAIN_INPUT}" is where the chain starts: nothing can be connected into it` });
    if (e.from === CHAIN_OUTPUT) problems.push({ path: `edges[${i}].from`, message: `"${CHAIN_OUTPUT}" is where the chain ends: nothing can come out of it` });
  });
  const starts = chain.edges.some((e) => e.from === CHAIN_INPUT);
  const ends = chain.edges.some((e) => e.to === CHAIN_OUTPUT);
  if (!starts) problems.push({ path: 'edges', message: `no edge starts at "${CHAIN_INPUT}": connect it to the first node, e.g. { "from": "input", "to": "eq" }` });
  if (!ends) problems.push({ path: 'edges', message: `no edge ends at "${CHAIN_OUTPUT}": connect the last node to it, e.g. { "from": "limiter", "to": "output" }` });
  if (starts && ends && !reachable(chain.edges, CHAIN_INPUT).has(CHAIN_OUTPUT)) problems.push({ path: 'edges', message: `no path leads from "${CHAIN_INPUT}" to "${CHAIN_OUTPUT}": the chain would be silent` });
  return problems;
}

/**
 * Every id reachable from `start` along `edges` (`start` itself only when a cycle leads back to it).
 * `stop` is never entered: not counted, and the walk does not go on from it.
 */
export function reachable(edges: readonly DocEdge[], start: string, stop?: string): Set<string> {
  const ids = endpoints(edges, [start]);
  const { next } = indexGraph(ids, edges);
  const seen = reachableFrom(next, next[0], (v) => ids[v] === stop);
  return new Set(ids.filter((_, i) => seen[i]));
}

/** Check and complete an already-parsed chain. */
export function loadChainValue(value: unknown): ChainResult {
  const migrated = migrateValue(value);
  if (!migrated.ok) return migrated;
  const problems: Problem[] = [];
  const chain = graphShape(migrated.value, 'chain', chainFileSchema, problems);
  if (!chain) return { ok: false, problems };
  problems.push(...chainProblems(chain));
  if (problems.length) return { ok: false, problems };
  const count = chain.nodes.length;
  // The session validator on the session the chain becomes; its own two nodes are never at fault
  // (their ids and types are ours), so only problems about the chain's nodes and edges remain.
  problems.push(...validate(chainToSession(chain)).filter((p) => !/^nodes\[(\d+)\]/.test(p.path) || Number(/^nodes\[(\d+)\]/.exec(p.path)![1]) < count));
  if (problems.length) return { ok: false, problems };
  if (!chain.exposed?.length) delete chain.exposed;
  fillGraph(chain);
  return { ok: true, doc: chain };
}

/** Parse, migrate, validate and fill a chain; throws PresetError with one line per problem. */
export function loadChain(text: string, name = 'chain'): ChainDoc {
  return orThrow(loadChainValue(parseJson(text, name)), name);
}
