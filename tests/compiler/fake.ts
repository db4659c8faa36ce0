// Builders for big graphs, and a fake engine that records what the compiler's operations do.
// Not a test file (vitest collects *.test.ts only). Audio is tested in tests/audio.
import type { Params } from '../../nodes/define.ts';
import { getDefinition } from '../../nodes/registry.ts';
import { compile } from '../../src/compiler/compile.ts';
import type { Operation, Plan } from '../../src/compiler/plan.ts';
import { edgeKey, type DocEdge, type SessionDoc } from '../../src/model/document.ts';
import { session, type NodeSpec } from '../model/build.ts';

/** `chains` chains generator -> eq -> compressor -> bus, each bus into one master: 4·chains + 1 nodes. */
export function bigSession(chains = 250): SessionDoc {
  const nodes: NodeSpec[] = [];
  const edges: string[] = [];
  for (let i = 0; i < chains; i++) {
    nodes.push(
      { id: `gen${i}`, type: 'generator', params: { frequency: 100 + i } },
      { id: `eq${i}`, type: 'eq', params: { bands: [{ type: 'highpass', frequency: 40 }, { type: 'peaking', frequency: 1000 + i, gain: -3 }] } },
      { id: `comp${i}`, type: 'compressor' },
      { id: `bus${i}`, type: 'bus' },
    );
    edges.push(`gen${i}->eq${i}`, `eq${i}->comp${i}`, `comp${i}->bus${i}`, `bus${i}->master`);
  }
  nodes.push({ id: 'master', type: 'master' });
  return session(nodes, edges);
}

export function planOf(doc: SessionDoc): Plan {
  const result = compile(doc);
  if (!result.ok) throw new Error(`expected a valid session: ${JSON.stringify(result.problems, null, 1)}`);
  return result.plan;
}

interface FakeNode {
  type: string;
  params: Params;
  bypass: boolean;
}

/**
 * Tracks nodes, edges, params and bypass as the engine would, and is strict where the real
 * engine would misbehave: creating twice, removing a node still connected, connecting
 * twice, touching a node or port that is not there, setting a param the node does not have.
 */
export class FakeEngine {
  nodes = new Map<string, FakeNode>();
  edges = new Map<string, DocEdge>();
  log: Operation[] = [];

  apply(ops: readonly Operation[]): void {
    for (const op of ops) {
      this.log.push(op);
      switch (op.op) {
        case 'create': {
          if (this.nodes.has(op.node.id)) throw new Error(`create: "${op.node.id}" exists`);
          if (!getDefinition(op.node.type)) throw new Error(`create: unknown type ${op.node.type}`);
          this.nodes.set(op.node.id, { type: op.node.type, params: structuredClone(op.node.params), bypass: op.node.bypass });
          break;
        }
        case 'remove': {
          if (!this.nodes.has(op.id)) throw new Error(`remove: no "${op.id}"`);
          for (const e of this.edges.values()) if (e.from === op.id || e.to === op.id) throw new Error(`remove: "${op.id}" still connected (${edgeKey(e)})`);
          this.nodes.delete(op.id);
          break;
        }
        case 'connect': {
          const key = edgeKey(op.edge);
          if (this.edges.has(key)) throw new Error(`connect: ${key} exists`);
          const from = this.node(op.edge.from, 'connect');
          const to = this.node(op.edge.to, 'connect');
          if (!getDefinition(from.type)!.ports.outputs.some((p) => p.id === op.edge.fromPort)) throw new Error(`connect: no output ${key}`);
          if (!getDefinition(to.type)!.ports.inputs.some((p) => p.id === op.edge.toPort)) throw new Error(`connect: no input ${key}`);
          this.edges.set(key, { ...op.edge });
          break;
        }
        case 'disconnect': {
          const key = edgeKey(op.edge);
          if (!this.edges.delete(key)) throw new Error(`disconnect: no edge ${key}`);
          break;
        }
        case 'set': {
          const node = this.node(op.id, 'set');
          if (!(op.param in node.params)) throw new Error(`set: ${op.id} has no param ${op.param}`);
          node.params[op.param] = structuredClone(op.value);
          // The full set handed to the node must agree with the single change.
          if (JSON.stringify(op.params[op.param]) !== JSON.stringify(op.value)) throw new Error('set: params and value disagree');
          break;
        }
        case 'bypass':
          this.node(op.id, 'bypass').bypass = op.bypass;
          break;
      }
    }
  }

  private node(id: string, what: string): FakeNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`${what}: no node "${id}"`);
    return n;
  }

  /** The state in a canonical form, to compare with `stateOf(plan)`. */
  state() {
    return {
      nodes: [...this.nodes].map(([id, n]) => ({ id, type: n.type, params: n.params, bypass: n.bypass })).sort((a, b) => a.id.localeCompare(b.id)),
      edges: [...this.edges.keys()].sort(),
    };
  }
}

export function stateOf(plan: Plan) {
  return {
    nodes: plan.nodes.map((n) => ({ id: n.id, type: n.type, params: n.params, bypass: n.bypass })).sort((a, b) => a.id.localeCompare(b.id)),
    edges: plan.edges.map(edgeKey).sort(),
  };
}
