import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { Fragment, memo, useCallback, useRef } from 'react';
import type { PortSpec } from '../../../nodes/define.ts';
import { getDefinition } from '../../../nodes/registry.ts';
import { setBypass, setParam } from '../../model/commands.ts';
import { nodePorts, type DocNode } from '../../model/document.ts';
import { canBypass } from '../../model/validate.ts';
import { fillParams } from '../../model/params.ts';
import { groupKnobs } from '../../model/groups.ts';
import { useServices } from '../context.ts';
import { Meter } from '../meters/Meter.tsx';
import { CATEGORY_COLORS } from '../theme.ts';
import { FINDING_TITLES, useNodeFindings } from '../mixing/findings.ts';
import { MIX_CATEGORY_COLORS, MIX_CATEGORY_LABELS, mixCategoryOf } from '../mixer/strips.ts';
import { relinkSource } from './relink.ts';

export interface MixNodeData extends Record<string, unknown> {
  node: DocNode;
  /** Its audio file is not loaded (a session opened without its audio): the file's name. */
  missing?: string;
  /** A source whose sound reaches no master: nothing of it is heard. */
  unheard?: boolean;
  /** The node's path when it is inside a group (commands address it by path). */
  path?: string;
}

export type MixFlowNode = Node<MixNodeData, 'mix'>;

// Compact enough that the demo's 25 nodes fit a 1400 x 900 window at a zoom where the smallest
// text on a node (11 px in styles.css) is drawn at 10 px or more (see READABLE_ZOOM in Canvas.tsx).
const PORT_SPACING = 20;
/** Centre of the first port: below the title line and the label/buttons line. */
const PORT_TOP = 50;
/** styles.css .mix-node width. */
export const NODE_WIDTH = 136;

/** Room for the ports, then the level meter along the bottom edge. */
const minHeight = (ports: number) => PORT_TOP + Math.max(0, ports - 1) * PORT_SPACING + 26;
/** The summary's line under the ports (styles.css .mix-node-summary: one line of 15 px and its margin; a second line grows the measured node). */
const SUMMARY_HEIGHT = 20;

/** The node's key values in one line (its definition's `summary`), or undefined for types without one. */
export function nodeSummary(node: DocNode): string | undefined {
  const def = getDefinition(node.type);
  return def?.summary?.(fillParams(def, node.params));
}

/** A node's size before the browser has measured it: its CSS width and its minimum height. */
export function estimatedSize(node: DocNode): { width: number; height: number } {
  const { inputs, outputs } = nodePorts(node);
  return { width: NODE_WIDTH, height: minHeight(Math.max(1, inputs.length, outputs.length)) + (nodeSummary(node) === undefined ? 0 : SUMMARY_HEIGHT) };
}

function PortHandle({ port, kind, index }: { port: PortSpec; kind: 'source' | 'target'; index: number }) {
  const sidechain = port.role === 'sidechain';
  return (
    <>
      <Handle
        type={kind}
        position={kind === 'target' ? Position.Left : Position.Right}
        id={port.id}
        className={`port ${sidechain ? 'port-sidechain' : 'port-audio'}`}
        style={{ top: PORT_TOP + index * PORT_SPACING }}
        // A port is a picture of a connection point (no ARIA role fits a drag source better);
        // without a role, axe rejects the aria-label on a plain div.
        role="img"
        aria-label={`${kind === 'target' ? 'Input' : 'Output'} ${port.label ?? port.id}`}
      />
      <span className={`port-label port-label-${kind === 'target' ? 'in' : 'out'}`} style={{ top: PORT_TOP + index * PORT_SPACING - 7 }}>
        {port.label ?? port.id}
      </span>
    </>
  );
}

/** The bypass button's symbol (IEC 5009, as on hardware), drawn so it needs no icon font. */
function PowerIcon() {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" className="power-icon">
      <path d="M3 2.2a3.6 3.6 0 1 0 4 0M5 0.8v4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  );
}

/** The row a track shows in place of its sound when its file is not loaded: the name and Relink. */
function MissingSource({ node, file, name }: { node: DocNode; file: string; name: string }) {
  const { store, audio } = useServices();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="mix-node-missing nodrag" title={`${file} is not loaded: this track is silent. Relink it, or drop the file on the track.`}>
      <span className="missing-file">
        <span aria-hidden="true">⚠ </span>
        {file.split('/').pop()}
      </span>
      <span className="missing-line">
        <span>not loaded</span>
        <button type="button" aria-label={`Relink ${name}`} onClick={() => input.current?.click()}>
          Relink…
        </button>
      </span>
      <input
        ref={input}
        type="file"
        hidden
        accept="audio/*,.wav,.flac,.mp3,.ogg"
        aria-label={`Audio file for ${name}`}
        onChange={(e) => {
          const picked = e.target.files?.[0];
          e.target.value = '';
          if (picked) void relinkSource(store, audio, String(node.params.source), picked, name);
        }}
      />
    </div>
  );
}

/** A group's face: how many nodes it holds, and its knobs with their values (turned in the inspector). */
function GroupFace({ node, path, top }: { node: DocNode; path: string; top: number }) {
  const { store } = useServices();
  const doc = store.getState().doc;
  const knobs = groupKnobs(doc, path);
  return (
    <ul className="mix-node-knobs" style={{ marginTop: top }} aria-label={`Knobs of ${node.label || node.id}`}>
      <li>
        <span>
          {node.group!.nodes.length} nodes, {knobs.length} knob{knobs.length === 1 ? '' : 's'}
        </span>
      </li>
      {knobs.slice(0, 2).map((k) => (
        <li key={k.id}>
          <span>{k.label}</span>
          <span>{formatKnob(k.value, k.spec)}</span>
        </li>
      ))}
    </ul>
  );
}

function formatKnob(value: unknown, spec: { kind: string; unit?: string }): string {
  if (typeof value === 'number') return `${Math.round(value * 100) / 100}${spec.kind === 'number' && spec.unit ? ` ${spec.unit}` : ''}`;
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

/** One component draws every node type from its definition (a group from its body). */
export const MixNode = memo(function MixNode({ data, selected }: NodeProps<MixFlowNode>) {
  const { store, audio } = useServices();
  const node = data.node;
  const path = data.path ?? node.id;
  const def = getDefinition(node.type);
  const name = node.label || node.id;
  const readLevel = useCallback(() => audio.peakDb(path), [audio, path]);
  const findings = useNodeFindings(store, path);
  if (!def) return <div className="mix-node mix-node-unknown">Unknown type {node.type}</div>;
  const { inputs, outputs } = nodePorts(node);
  const ports = Math.max(inputs.length, outputs.length);
  const toggle = (param: string) => store.run(setParam(path, param, !node.params[param]));
  // Mute and solo buttons for any type with those switches (today the track), not by type name.
  const muteSolo = def.params.mute?.kind === 'bool' && def.params.solo?.kind === 'bool';
  // The node's own name first (what the user called it), its type under it when that says more.
  const heading = node.label || def.title;
  const category = mixCategoryOf(node);
  const summary = nodeSummary(node);
  // Below the ports: the summary, then the flags; the first of them is pushed under the last port.
  const belowPorts = PORT_TOP + Math.max(0, ports - 1) * PORT_SPACING + 10 - 40;
  const classes = ['mix-node', selected && 'selected', node.bypass && 'bypassed', data.missing && 'missing', data.unheard && 'unheard', node.group && 'mix-node-group'];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      style={{ '--category': CATEGORY_COLORS[def.category], minHeight: minHeight(ports) + (summary === undefined ? 0 : SUMMARY_HEIGHT) } as React.CSSProperties}
      data-testid={`node-${node.id}`}
    >
      {findings.length > 0 && (
        <span className="mix-node-hint" title={findings.map((f) => f.message).join('\n')} aria-label={`Mix check: ${findings.map((f) => f.message).join(' ')}`}>
          {FINDING_TITLES[findings[0].kind]}
          {findings.length > 1 ? ` +${findings.length - 1}` : ''}
        </span>
      )}
      <header className="mix-node-header">
        <span className="mix-node-title" title={heading}>
          {heading}
        </span>
        <span className="mix-node-sub">
          <span className="mix-node-type" title={def.title}>
            {category && (
              <span className="mix-node-category" style={{ '--mix-category': MIX_CATEGORY_COLORS[category] } as React.CSSProperties} title={`Category: ${MIX_CATEGORY_LABELS[category]}`}>
                {MIX_CATEGORY_LABELS[category]}
              </span>
            )}
            {heading !== def.title ? def.title : ''}
          </span>
          <span className="mix-node-buttons nodrag">
            {canBypass(node) && (
              <button type="button" className="bypass" aria-pressed={node.bypass === true} aria-label={`Bypass ${name}`} title="Bypass" onClick={() => store.run(setBypass(path, !node.bypass))}>
                <PowerIcon />
              </button>
            )}
            {node.group && (
              <button type="button" className="open-group" aria-label={`Open group ${name}`} title="Open the group (or double-click it)" onClick={() => store.enter(path)}>
                ⤢
              </button>
            )}
            {muteSolo && (
              <>
                <button type="button" className="mute" aria-pressed={node.params.mute === true} aria-label={`Mute ${name}`} title="Mute" onClick={() => toggle('mute')}>
                  M
                </button>
                <button type="button" className="solo" aria-pressed={node.params.solo === true} aria-label={`Solo ${name}`} title="Solo" onClick={() => toggle('solo')}>
                  S
                </button>
              </>
            )}
          </span>
        </span>
      </header>
      {inputs.map((p, i) => (
        <PortHandle key={p.id} port={p} kind="target" index={i} />
      ))}
      {outputs.map((p, i) => (
        <PortHandle key={p.id} port={p} kind="source" index={i} />
      ))}
      {node.group && <GroupFace node={node} path={path} top={belowPorts} />}
      {summary !== undefined && (
        <p className="mix-node-summary" style={{ marginTop: belowPorts }} title={summary}>
          {/* Lines break only after a piece's dot: "@ 60" never parts from its "Hz". */}
          {summary.split(' · ').map((piece, i, all) => (
            <Fragment key={i}>
              <span>{i < all.length - 1 ? `${piece} ·` : piece}</span>
              {i < all.length - 1 && ' '}
            </Fragment>
          ))}
        </p>
      )}
      {(data.missing || data.unheard) && (
        <div className="mix-node-flags" style={{ marginTop: summary === undefined ? belowPorts : 0 }}>
          {data.missing && <MissingSource node={node} file={data.missing} name={name} />}
          {data.unheard && (
            <p className="mix-node-unheard" title="Nothing connects this node to the master: connect its output to a bus or the master to hear it">
              Reaches no master
            </p>
          )}
        </div>
      )}
      <Meter label={`${name} node level`} read={readLevel} />
    </div>
  );
});
