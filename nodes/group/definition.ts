import { defineNode } from '../define.ts';

/**
 * A group: nodes collapsed into one, with its own ports and the knobs chosen for it. Its body (nodes,
 * edges, ports, exposed params) lives in the node's `group` field; the ports and params here are
 * empty because each group has its own (src/model/groups.ts reads them). The compiler flattens
 * groups (plan ids `group/inner`), so a group costs nothing in the audio graph.
 */
export const group = defineNode({
  type: 'group',
  version: 1,
  category: 'routing',
  title: 'Group',
  description:
    'Several nodes folded into one box, with the knobs you chose on its face. Open it to edit the inside; ' +
    'it sounds exactly like the nodes it holds. Save it as a chain preset to use it again.',
  ports: { inputs: [], outputs: [] },
  params: {},
  bypassable: true,
  container: true,
  processor() {
    throw new Error('a group has no processor of its own: the compiler flattens it into its inner nodes');
  },
});
