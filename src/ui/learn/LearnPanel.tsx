import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { NodeDefinition, ParamSpec, ParamValue, Params } from '../../../nodes/define.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import type { NodeViewProps } from '../../../nodes/view.ts';
import { nodeAt, splitPath } from '../../model/document.ts';
import { exampleInDoc, exampleTarget, listenExample, removeListenExample } from '../../model/listen.ts';
import { fillParams } from '../../model/params.ts';
import { useServices } from '../context.ts';
import { formatValue } from '../inspector/scale.ts';
import { onFrame } from '../meters/hub.ts';
import { useEditor } from '../store.ts';
import { CATEGORY_COLORS } from '../theme.ts';
import { FlowPicture } from './FlowPicture.tsx';
import { hasFlowPicture, learnPictures } from './pictures.ts';
import { learn, useLearn } from './state.ts';
import { addListenStems } from './stems.ts';
import './learn.css';

/** A param's range as a student reads it: "-60 to 0 dB, default -18 dB". */
function rangeOf(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number':
      return `${formatValue(spec, spec.min)} to ${formatValue(spec, spec.max)}, default ${formatValue(spec, spec.default)}`;
    case 'enum':
      return `${spec.options.join(', ')}; default ${spec.default}`;
    case 'bool':
      return `on or off; default ${spec.default ? 'on' : 'off'}`;
    case 'string':
      return spec.format === 'file' ? 'a file' : spec.format === 'color' ? 'a colour' : 'text';
    case 'list':
      return `up to ${spec.maxItems}`;
  }
}

function valueOf(spec: ParamSpec, value: ParamValue | undefined): string | null {
  if (value === undefined) return null;
  if (spec.kind === 'number') return formatValue(spec, value as number);
  if (spec.kind === 'enum') return String(value);
  if (spec.kind === 'bool') return value ? 'on' : 'off';
  if (spec.kind === 'list') return `${(value as unknown[]).length}`;
  return null;
}

/** Every param: its name, what it does (the definition's words, or the learn text's), its range, and its value on the node shown. */
function ParamList({ def, params, shown }: { def: NodeDefinition; params: Params; shown: boolean }) {
  const extra = def.learn?.params ?? {};
  const item = (key: string, spec: ParamSpec, value: ParamValue | undefined, children?: ReactNode) => {
    const now = shown ? valueOf(spec, value) : null;
    return (
      <div key={key} className="learn-param">
        <dt>
          {spec.label ?? key}
          <span className="learn-range">
            {rangeOf(spec)}
            {now !== null && <> · now {now}</>}
          </span>
        </dt>
        <dd>
          {extra[key] ?? spec.description}
          {children}
        </dd>
      </div>
    );
  };
  return (
    <dl className="learn-params">
      {Object.entries(def.params).map(([key, spec]) =>
        item(
          key,
          spec,
          params[key],
          spec.kind === 'list' ? (
            <dl className="learn-params learn-items">{Object.entries(spec.item).map(([field, f]) => item(`${key}.${field}`, f, undefined))}</dl>
          ) : undefined,
        ),
      )}
    </dl>
  );
}

const noop = () => {};

/**
 * The Learn panel: what a node type does and why one uses it, its params, a picture drawn from the
 * node's params (or what the example would set), and Listen: one click wires a test signal or a demo
 * stem through it to the master (src/model/listen.ts) and plays; Remove example takes exactly that away.
 * Opened from the inspector (about that node) or from a palette entry (a new node of the type).
 */
export function LearnPanel() {
  const { store, audio } = useServices();
  const { open, example } = useLearn();
  const doc = useEditor(store, (s) => s.doc);
  const heading = useRef<HTMLHeadingElement>(null);
  // The stems are registered once the panel is mounted (always, with the editor): a session saved
  // with an example in it finds its audio after a reload too.
  useEffect(() => addListenStems(audio.sources), [audio]);
  useEffect(() => heading.current?.focus(), [open?.serial]);

  const def = open ? getDefinition(open.type) : undefined;
  const ours = example && open && example.added.type === open.type && exampleInDoc(doc, example.added) ? example : null;
  // The node shown: the one asked about, else the one the example plays through.
  const path = open?.path && nodeAt(doc, open.path) ? open.path : ours ? exampleTarget(doc, ours.added) : undefined;
  const node = path ? nodeAt(doc, path) : undefined;
  const params = useMemo(() => (def ? (node?.params ?? fillParams(def, def.learn?.listen.params)) : {}), [def, node]);
  const live = useMemo<NodeViewProps['live']>(
    () => ({
      onFrame,
      reduction: () => (path ? audio.reduction(path) : 0),
      spectrum: () => (path ? audio.spectrum(path) : null),
      peakDb: () => (path ? audio.peakDb(path) : -120),
      read: (name: string) => (path ? audio.reading(path, name) : undefined),
    }),
    [audio, path],
  );
  if (!open || !def?.learn) return null;
  const info = def.learn;
  const Picture = learnPictures[def.type];
  const name = node ? node.label || splitPath(path!).pop()! : null;

  const listen = () => {
    const state = store.getState();
    // New nodes go in a row under the graph, clear of the user's; the canvas then brings them into view.
    const plan = listenExample(state.doc, def.type, { target: open.path && nodeAt(state.doc, open.path) ? open.path : undefined });
    addListenStems(audio.sources);
    const startedPlayback = audio.state !== 'playing';
    if (!plan.command) {
      store.notify('info', `${plan.reason} Playing.`);
      void audio.play();
      return;
    }
    if (!store.run(plan.command)) return;
    learn.setExample({ added: plan.example, startedPlayback });
    if (!plan.example.scope) store.reveal(plan.example.nodes.map((n) => n.id));
    void audio.play();
  };
  const remove = () => {
    if (!ours) return;
    const command = removeListenExample(store.getState().doc, ours.added);
    if (command && !store.run(command)) return;
    learn.setExample(null);
    if (ours.startedPlayback) audio.stop();
  };
  const chosenGone = Boolean(open.path && !nodeAt(doc, open.path));

  return (
    // A docked panel beside the canvas, not a dialog: the canvas stays in use (and its Escape, which
    // leaves a group unless a dialog is open, keeps working there).
    <aside
      className="learn-panel"
      aria-labelledby="learn-title"
      style={{ borderTopColor: CATEGORY_COLORS[def.category] }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          learn.close();
        }
      }}
    >
      <header>
        <h2 id="learn-title" ref={heading} tabIndex={-1}>
          Learn: {def.title}
        </h2>
        <button type="button" className="learn-close" aria-label="Close Learn" onClick={() => learn.close()}>
          ×
        </button>
      </header>
      {name && <p className="learn-about">Shown with the settings of “{name}”.</p>}
      <p className="learn-what">{def.description}</p>
      {(Picture || hasFlowPicture(def)) && (
        <figure className="learn-picture" aria-label="Picture">
          {Picture ? <Picture id={path ?? ''} params={params} setParam={noop} beginGesture={noop} endGesture={noop} live={live} /> : <FlowPicture def={def} />}
          <figcaption>
            {!Picture ? 'Where its signal comes from and where it goes (dashed: a side path, not heard through it).' : node ? `Drawn from the settings of “${name}”.` : 'Drawn from the settings the Listen example uses.'}
          </figcaption>
        </figure>
      )}
      <h3>Listen</h3>
      <p>{info.listen.hear}</p>
      <div className="learn-listen">
        {ours ? (
          <button type="button" onClick={remove}>
            Remove example
          </button>
        ) : (
          <button type="button" className="learn-listen-button" onClick={listen}>
            ▶ Listen
          </button>
        )}
        <span className="learn-note">
          {ours
            ? `Added ${ours.added.nodes.length} node${ours.added.nodes.length === 1 ? '' : 's'} marked “Listen example”${ours.added.edges.length ? ` and ${ours.added.edges.length} connection${ours.added.edges.length === 1 ? '' : 's'}` : ''}; one Undo takes it back too.`
            : open.path && !chosenGone
              ? `Plays into “${name ?? open.path}”, heard at the master.`
              : open.path && !info.listen.single
                ? `“${open.path}” is not there any more: Listen adds a new ${def.title}, wired to the master.`
              : info.listen.single
                ? `Plays into the session’s ${def.title}.`
                : `Adds a ${def.title} with these settings, wired to the master.`}
        </span>
      </div>
      <h3>Why use it</h3>
      <p>{info.why}</p>
      <h3>Typical settings</h3>
      <p>{info.typical}</p>
      <h3>Watch out</h3>
      <p>{info.pitfall}</p>
      {Object.keys(def.params).length > 0 && (
        <>
          <h3>Parameters</h3>
          <ParamList def={def} params={params} shown={Boolean(node)} />
        </>
      )}
    </aside>
  );
}
