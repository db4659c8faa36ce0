// The chains shipped in presets/chains, bundled by Vite and checked like any chain file.
import type { ChainDoc, DocEdge, SessionDoc } from '../../model/document.ts';
import { formatProblem } from '../../model/validate.ts';
import { loadChainValue } from '../../presets/chain.ts';

const files = import.meta.glob('../../../presets/chains/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

export interface ShippedChain {
  /** File name without .json: "streaming". */
  key: string;
  chain: ChainDoc;
}

/** Every shipped chain that loads (a broken one is left out with a console warning), by name. */
export const SHIPPED_CHAINS: readonly ShippedChain[] = Object.entries(files)
  .flatMap(([path, value]) => {
    const key = path.split('/').pop()!.replace(/\.json$/, '');
    const result = loadChainValue(structuredClone(value));
    if (result.ok) return [{ key, chain: result.doc }];
    console.warn(`presets/chains/${key}.json does not load: ${result.problems.map(formatProblem).join('; ')}`);
    return [];
  })
  .sort((a, b) => a.chain.name.localeCompare(b.chain.name));

/** "Mix bus → Master EQ" (with the ports when they are not the plain out and in). */
export function describeEdge(doc: SessionDoc, e: DocEdge): string {
  const name = (id: string) => doc.nodes.find((n) => n.id === id)?.label || id;
  const from = e.fromPort === 'out' ? name(e.from) : `${name(e.from)} (${e.fromPort})`;
  const to = e.toPort === 'in' ? name(e.to) : `${name(e.to)} (${e.toPort})`;
  return `${from} → ${to}`;
}

/** Where a mastering chain usually goes: the edge into the master, else the first edge. */
export function defaultEdge(doc: SessionDoc): DocEdge | undefined {
  const master = doc.nodes.find((n) => n.type === 'master');
  return doc.edges.find((e) => e.to === master?.id) ?? doc.edges[0];
}
