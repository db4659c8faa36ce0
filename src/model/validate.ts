// Every problem in a session, each with its place: a JSON path, and the node and port it concerns.
import { getDefinition, LOOP_SAFE_TYPES } from '../../nodes/registry.ts';
import { edgeKey, type DocEdge, type DocNode, type SessionDoc } from './document.ts';
import { checkParams } from './params.ts';

export interface Problem {
  /** JSON path in the file, e.g. `nodes[3].params.gain` or `edges[0].to`. */
  path: string;
  node?: string;
  port?: string;
  message: string;
}

export const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/;

export function formatProblem(p: Problem): string {
  const where = p.node !== undefined ? `${p.path} (node "${p.node}"${p.port ? `, port "${p.port}"` : ''})` : p.path;
  return `${where}: ${p.message}`;
}

export function validate(doc: SessionDoc): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map<string, DocNode>();
  doc.nodes.forEach((n, i) => {
    const path = `nodes[${i}]`;
    if (typeof n.id !== 'string' || !ID_PATTERN.test(n.id)) {
      problems.push({ path: `${path}.id`, message: `id ${JSON.stringify(n.id)} must be 1-64 letters, digits, or _ . : - (not starting with . : -)` });
      return;
    }
    if (nodes.has(n.id)) {
      problems.push({ path: `${path}.id`, node: n.id, message: 'duplicate node id; every node needs its own id' });
      return;
    }
    nodes.set(n.id, n);
    const def = getDefinition(n.type);
    if (!def) {
      problems.push({ path: `${path}.type`, node: n.id, message: `unknown node type ${JSON.stringify(n.type)}` });
      return;
    }
    for (const p of checkParams(def, n.params)) {
      problems.push({ path: p.path ? `${path}.params.${p.path}` : `${path}.params`, node: n.id, message: p.message });
    }
    if (n.bypass !== undefined && typeof n.bypass !== 'boolean') problems.push({ path: `${path}.bypass`, node: n.id, message: 'must be true or false' });
    else if (n.bypass && !def.bypassable) problems.push({ path: `${path}.bypass`, node: n.id, message: `a ${def.type} cannot be bypassed` });
  });

  const masters = doc.nodes.filter((n) => n.type === 'master');
  if (masters.length === 0) problems.push({ path: 'nodes', message: 'no master node: add one, and connect what should be heard to it' });
  if (masters.length > 1) {
    problems.push({ path: 'nodes', message: `${masters.length} master nodes (${masters.map((m) => `"${m.id}"`).join(', ')}); a session has exactly one` });
  }

  const seen = new Set<string>();
  const good: DocEdge[] = [];
  doc.edges.forEach((e, i) => {
    const path = `edges[${i}]`;
    const before = problems.length;
    const from = nodes.get(e.from);
    const to = nodes.get(e.to);
    if (!from) problems.push({ path: `${path}.from`, message: `no node with id ${JSON.stringify(e.from)}` });
    if (!to) problems.push({ path: `${path}.to`, message: `no node with id ${JSON.stringify(e.to)}` });
    const fromDef = from && getDefinition(from.type);
    const toDef = to && getDefinition(to.type);
    if (fromDef && !fromDef.ports.outputs.some((p) => p.id === e.fromPort)) {
      const isInput = fromDef.ports.inputs.some((p) => p.id === e.fromPort);
      const outs = fromDef.ports.outputs.map((p) => p.id).join(', ') || 'none';
      problems.push({
        path: `${path}.fromPort`,
        node: e.from,
        port: e.fromPort,
        message: isInput ? `"${e.fromPort}" is an input: an edge must start at an output (${outs})` : `${fromDef.type} has no output "${e.fromPort}" (outputs: ${outs})`,
      });
    }
    if (toDef && !toDef.ports.inputs.some((p) => p.id === e.toPort)) {
      const isOutput = toDef.ports.outputs.some((p) => p.id === e.toPort);
      const ins = toDef.ports.inputs.map((p) => p.id).join(', ') || 'none';
      problems.push({
        path: `${path}.toPort`,
        node: e.to,
        port: e.toPort,
        message: isOutput ? `"${e.toPort}" is an output: an output cannot be connected to an output (inputs: ${ins})` : `${toDef.type} has no input "${e.toPort}" (inputs: ${ins})`,
      });
    }
    if (problems.length > before) return;
    const key = edgeKey(e);
    if (seen.has(key)) {
      problems.push({ path, node: e.to, message: `duplicate edge ${e.from}.${e.fromPort} -> ${e.to}.${e.toPort}` });
      return;
    }
    seen.add(key);
    good.push(e);
  });

  for (const cycle of silentCycles(doc.nodes, good)) {
    problems.push({
      path: 'edges',
      node: cycle[0],
      message: `feedback loop without a delay: ${[...cycle, cycle[0]].join(' -> ')}; Web Audio silences such a loop, so put a delay node in it or remove an edge`,
    });
  }
  return problems;
}

/**
 * Loops that pass through no loop-safe node: the strongly connected components (Tarjan, iterative:
 * hostile files can be deep) of the graph without its loop-safe nodes that form a loop. Each is
 * returned as its node ids in loop order.
 */
export function silentCycles(nodes: readonly DocNode[], edges: readonly DocEdge[]): string[][] {
  const next = new Map<string, string[]>();
  const typeOf = new Map(nodes.map((n) => [n.id, n.type]));
  const safe = (id: string) => LOOP_SAFE_TYPES.has(typeOf.get(id) ?? '');
  // Every cycle must pass through a loop-safe node: so the graph without those nodes must have no
  // cycle at all. (Looking for a loop-safe node per strongly connected component is not enough: a
  // component can hold a delay loop and, beside it, a loop of its own that skips the delay.)
  for (const e of edges) {
    if (safe(e.from) || safe(e.to)) continue;
    const list = next.get(e.from);
    if (list) list.push(e.to);
    else next.set(e.from, [e.to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;

  for (const start of typeOf.keys()) {
    if (index.has(start)) continue;
    const work: { id: string; i: number }[] = [{ id: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = next.get(frame.id) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== frame.id);
      const loops = component.length > 1 || (next.get(frame.id) ?? []).includes(frame.id);
      if (loops) result.push(orderLoop(component, next));
    }
  }
  return result;
}

/** The component's ids in the order a signal travels round one loop of it. */
function orderLoop(component: string[], next: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const path = [start];
  const visited = new Set(path);
  let at = start;
  for (;;) {
    const step = (next.get(at) ?? []).find((w) => members.has(w) && (w === start || !visited.has(w)));
    if (!step || step === start) return path;
    path.push(step);
    visited.add(step);
    at = step;
  }
}

/** Would adding this edge close a loop without a delay? (For the editor's drag check.) */
export function wouldCloseSilentLoop(doc: SessionDoc, edge: DocEdge): string[] | null {
  const cycles = silentCycles(doc.nodes, [...doc.edges, edge]);
  return cycles.find((c) => c.includes(edge.from) && c.includes(edge.to)) ?? null;
}
