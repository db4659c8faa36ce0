// The toolbar's Annotate menu: Add note and Add frame (at the middle of the view), Frame selection
// (a frame fitted around the selected nodes with room for its label). Each is one undo step; the new
// note or frame opens ready to type. Notes and frames live on the session's top level: inside an open
// group the entries are off.
import { useReactFlow } from '@xyflow/react';
import { addAnnotation, frameAround, FRAME_SIZE, freshAnnotationId, NOTE_SIZE, type Size } from '../../model/annotations.ts';
import { useServices } from '../context.ts';
import { useEditor } from '../store.ts';
import { requestEdit } from './annotations.ts';
import { estimatedSize } from './MixNode.tsx';
import { MenuButton, type MenuItem } from '../Menu.tsx';

export function AnnotationBar() {
  const { store } = useServices();
  const flow = useReactFlow();
  const scope = useEditor(store, (s) => s.scope);
  const readOnly = useEditor(store, (s) => s.readOnly) !== null;
  const selection = useEditor(store, (s) => s.selection);
  const off = readOnly || scope !== '';
  const why = readOnly ? 'This session cannot be edited here' : scope ? 'Notes and frames go on the session’s top level: leave the group first' : undefined;

  /** The middle of the canvas as the person sees it, less half the new box. */
  const middle = (size: Size) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const c = pane ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
    return { x: c.x - size.width / 2, y: c.y - size.height / 2 };
  };
  const add = (kind: 'note' | 'frame') => {
    const doc = store.getState().doc;
    const id = freshAnnotationId(doc, kind);
    const size = kind === 'note' ? NOTE_SIZE : FRAME_SIZE;
    const a = kind === 'note' ? { id, kind, position: middle(size), size, text: '' } : { id, kind, position: middle(size), size, label: '' };
    requestEdit(id);
    store.run(addAnnotation(a));
  };
  const frameSelection = () => {
    const { doc, selection: ids } = store.getState();
    const boxes = ids.flatMap((id) => {
      const n = flow.getNode(id);
      const node = doc.nodes.find((x) => x.id === id);
      if (!n || !node) return [];
      const size = n.measured?.width ? { width: n.measured.width, height: n.measured.height ?? 0 } : estimatedSize(node);
      return [{ ...n.position, ...size }];
    });
    const box = frameAround(boxes);
    if (!box) return;
    const id = freshAnnotationId(doc, 'frame');
    requestEdit(id);
    store.run({ ...addAnnotation({ id, kind: 'frame', ...box, label: '' }), label: `Frame ${ids.length === 1 ? ids[0] : `${ids.length} nodes`}` });
  };
  // One menu button, not three, in the header's first row: the second is full at 1400 px, and a third
  // row would shrink the canvas below the size the demo opens readable in (tests/browser/first-use.test.ts).
  const items: MenuItem[] = [
    { label: 'Add note', run: () => add('note'), disabled: off },
    { label: 'Add frame', run: () => add('frame'), disabled: off },
    { label: 'Frame selection', run: frameSelection, disabled: off || selection.length === 0, hint: selection.length ? `${selection.length} node${selection.length === 1 ? '' : 's'}` : undefined, separated: true },
  ];
  return (
    <div className="toolbar" role="toolbar" aria-label="Notes and frames">
      <MenuButton label="Annotate" items={items} title={why ?? 'Notes (Markdown) and labelled frames on the canvas; Frame selection fits a frame around the selected nodes'} />
    </div>
  );
}
