// The preset browser: the built-in library and the user's own presets, searchable by name and tag,
// each shown with its description and what it holds before it is used. A chain inserts on the
// whole mix or one connection (as its nodes or as a group), a node preset sets a node's params, a
// template opens as a new session: each one undo step. The user's presets can be exported and
// imported as files, and deleted.
import { useEffect, useMemo, useState } from 'react';
import { getDefinition } from '../../../nodes/registry.ts';
import { applyNodePreset } from '../../model/presets.ts';
import { walkNodes, type ChainDoc, type DocEdge, type NodePresetDoc, type SessionDoc } from '../../model/document.ts';
import { saveDocument } from '../../presets/load.ts';
import { useServices } from '../context.ts';
import { download } from '../download.ts';
import { FileButton } from '../FileButton.tsx';
import { Dialog } from '../mastering/Dialog.tsx';
import { readDocumentFile } from '../readFile.ts';
import { fileStem } from '../session/names.ts';
import { useEditor } from '../store.ts';
import { defaultWhere, insertChainAt, type InsertWhere } from './insert.ts';
import { BUILT_IN, forgetPreset, keepPreset, loadPresetText, nodeList, presetMatches, userPresets, type PresetEntry } from './library.ts';
import { WherePicker } from './WherePicker.tsx';

type Filter = 'all' | 'chain' | 'node-preset' | 'template' | 'yours';
const FILTERS: { key: Filter; label: string }[] = [
  { key: 'all', label: 'All' },
  { key: 'chain', label: 'Chains' },
  { key: 'node-preset', label: 'Node presets' },
  { key: 'template', label: 'Templates' },
  { key: 'yours', label: 'Yours' },
];
const KIND_TEXT: Record<PresetEntry['kind'], string> = { chain: 'Chain', 'node-preset': 'Node preset', template: 'Session template' };

export interface PresetBrowserProps {
  onClose(): void;
  /** Open on node presets for this node (its path), e.g. from the inspector. */
  forNode?: string;
  /** The canvas's selected connection, where a chain goes by default. */
  selectedEdge?: DocEdge;
}

export function PresetBrowser({ onClose, forNode, selectedEdge }: PresetBrowserProps) {
  const { store, keeper } = useServices();
  const doc = useEditor(store, (s) => s.doc);
  const [mine, setMine] = useState<PresetEntry[]>([]);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>(forNode ? 'node-preset' : 'all');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [where, setWhere] = useState<InsertWhere | null>(() => defaultWhere(store.getState().doc, selectedEdge));
  const [asGroup, setAsGroup] = useState(false);
  const [target, setTarget] = useState<string | undefined>(forNode);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const db = keeper?.db ?? null;
  const refresh = () => void userPresets(db).then(setMine);
  useEffect(refresh, [db]);

  const forType = forNode ? [...walkNodes(doc)].find((w) => w.path === forNode)?.node.type : undefined;
  const all = useMemo(() => [...mine, ...BUILT_IN], [mine]);
  const shown = useMemo(
    () =>
      all.filter(
        (p) =>
          (filter === 'all' || (filter === 'yours' ? p.origin === 'yours' : p.kind === filter)) && (!forType || filter !== 'node-preset' || p.type === forType) && presetMatches(p, query),
      ),
    [all, filter, query, forType],
  );
  const chosen = shown.find((p) => p.id === chosenId) ?? shown[0];
  useEffect(() => setConfirmDelete(false), [chosen?.id]);

  // The nodes a node preset can go on: every node of its type (inner ones by path).
  const targets = useMemo(() => (chosen?.kind === 'node-preset' ? [...walkNodes(doc)].filter((w) => w.node.type === chosen.type) : []), [doc, chosen]);
  const targetPath = targets.some((t) => t.path === target) ? target : targets[0]?.path;

  const apply = () => {
    if (!chosen) return;
    if (chosen.kind === 'chain') {
      if (where && insertChainAt(store, chosen.doc as ChainDoc, where, asGroup)) onClose();
    } else if (chosen.kind === 'node-preset') {
      if (!targetPath) return;
      const node = targets.find((t) => t.path === targetPath)!.node;
      if (store.run(applyNodePreset(targetPath, chosen.doc as NodePresetDoc))) {
        store.notify('info', `${node.label || node.id} now has the settings of “${chosen.name}” (Undo takes them back).`);
        onClose();
      }
    } else {
      const template = chosen.doc as SessionDoc;
      void (keeper ? keeper.openNew(template) : Promise.resolve(store.open(template))).then(() => {
        store.notify('info', `New session from the template “${chosen.name}”; the one you had is kept in Sessions.`);
        onClose();
      });
    }
  };

  const importFile = async (file: File) => {
    if (!db) return store.notify('error', 'This browser does not let Mixgraph keep presets (storage refused); nothing was imported.');
    try {
      const preset = loadPresetText(await readDocumentFile(file), file.name);
      const entry = await keepPreset(db, preset);
      refresh();
      setFilter('yours');
      setChosenId(entry.id);
      store.notify('info', `Imported “${preset.name}” into your presets.`);
    } catch (err) {
      store.notify('error', `${(err as Error).message}\nNothing was imported.`);
    }
  };
  const exportPreset = (p: PresetEntry) => {
    const text = saveDocument(p.doc as ChainDoc | NodePresetDoc | SessionDoc);
    download(new Blob([text], { type: 'application/json' }), `${fileStem(p.name)}.json`);
  };
  const remove = async (p: PresetEntry) => {
    if (!db) return;
    await forgetPreset(db, p.id);
    refresh();
    store.notify('info', `Deleted your preset “${p.name}”.`);
  };

  const action = chosen?.kind === 'chain' ? 'Insert' : chosen?.kind === 'node-preset' ? 'Apply' : 'Open as a new session';
  const canApply = chosen && (chosen.kind === 'chain' ? where !== null : chosen.kind === 'node-preset' ? targetPath !== undefined : true);

  return (
    <Dialog title="Presets" className="preset-browser" closeLabel="Close presets" onClose={onClose}>
      <div className="preset-top">
        <input type="search" placeholder="Search by name, tag, node…" aria-label="Search presets" value={query} onChange={(e) => setQuery(e.target.value)} />
        <div className="preset-filters" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <button key={f.key} type="button" aria-pressed={filter === f.key} onClick={() => setFilter(f.key)}>
              {f.label}
            </button>
          ))}
        </div>
      </div>
      <div className="preset-panes">
        <ul className="preset-list" aria-label="Presets found">
          {shown.map((p) => (
            <li key={p.id}>
              <button type="button" aria-pressed={chosen?.id === p.id} onClick={() => setChosenId(p.id)}>
                <span className="preset-name">{p.name}</span>
                <span className="preset-kind">
                  {KIND_TEXT[p.kind]}
                  {p.type ? ` · ${getDefinition(p.type)?.title ?? p.type}` : ''}
                  {p.origin === 'yours' ? ' · yours' : ''}
                </span>
              </button>
            </li>
          ))}
          {shown.length === 0 && <li className="dialog-note">No preset matches{query ? ` “${query}”` : ''}.</li>}
        </ul>
        {chosen && (
          <section className="preset-detail" aria-label={`Preset: ${chosen.name}`}>
            <h3>{chosen.name}</h3>
            <p className="preset-meta">
              {KIND_TEXT[chosen.kind]}
              {chosen.type ? ` for a ${getDefinition(chosen.type)?.title ?? chosen.type}` : ''} · {chosen.origin === 'yours' ? 'yours' : 'built in'}
              {chosen.author ? ` · by ${chosen.author}` : ''}
            </p>
            <p className="preset-description">{chosen.description || 'No description.'}</p>
            {chosen.tags.length > 0 && (
              <ul className="preset-tags" aria-label="Tags">
                {chosen.tags.map((t) => (
                  <li key={t}>
                    <button type="button" onClick={() => setQuery(t)} title={`Presets tagged ${t}`}>
                      {t}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <h4>{chosen.kind === 'node-preset' ? 'Settings' : 'Holds'}</h4>
            {chosen.kind === 'node-preset' ? (
              <PresetSettings preset={chosen.doc as NodePresetDoc} />
            ) : (
              <ol className="preset-nodes" aria-label="Nodes in the preset">
                {nodeList(chosen).map((n) => (
                  <li key={n.id}>
                    {n.label ?? n.title}
                    {n.label && n.label !== n.title ? <small> ({n.title})</small> : null}
                  </li>
                ))}
              </ol>
            )}
            {chosen.kind === 'chain' && <WherePicker doc={doc} where={where} onWhere={setWhere} asGroup={asGroup} onAsGroup={setAsGroup} />}
            {chosen.kind === 'node-preset' && (
              <label className="chain-field">
                <span>Apply to</span>
                <select value={targetPath ?? ''} onChange={(e) => setTarget(e.target.value)} disabled={targets.length === 0}>
                  {targets.length === 0 && <option value="">No {getDefinition(chosen.type ?? '')?.title ?? chosen.type} in this session</option>}
                  {targets.map((t) => (
                    <option key={t.path} value={t.path}>
                      {t.node.label || t.node.id}
                      {t.path.includes('/') ? ` (in ${t.path.split('/').slice(0, -1).join(' › ')})` : ''}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <div className="dialog-actions">
              <button type="button" onClick={() => exportPreset(chosen)}>
                Export…
              </button>
              {chosen.origin === 'yours' &&
                (confirmDelete ? (
                  <>
                    <button type="button" className="danger" onClick={() => void remove(chosen)}>
                      Delete for good
                    </button>
                    <button type="button" onClick={() => setConfirmDelete(false)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" onClick={() => setConfirmDelete(true)}>
                    Delete…
                  </button>
                ))}
              <button type="button" className="primary" disabled={!canApply} onClick={apply}>
                {action}
              </button>
            </div>
          </section>
        )}
      </div>
      <div className="dialog-actions preset-bottom">
        <FileButton accept=".json,application/json" inputLabel="Preset file to import" onFile={(f) => void importFile(f)} title="A chain or node preset file">
          Import…
        </FileButton>
        <span className="dialog-note">{BUILT_IN.length} built in, {mine.length} of yours</span>
      </div>
    </Dialog>
  );
}

/** A node preset's settings, with units, as the inspector would show them. */
function PresetSettings({ preset }: { preset: NodePresetDoc }) {
  const def = getDefinition(preset.type);
  return (
    <table className="preset-settings">
      <tbody>
        {Object.entries(preset.params).map(([key, value]) => {
          const spec = def?.params[key];
          const unit = spec?.kind === 'number' ? spec.unit : '';
          const suffix = unit === 'ratio' ? ':1' : unit && unit !== 'mix' && unit !== 'pan' ? ` ${unit}` : '';
          const shown = Array.isArray(value) ? `${value.length} item${value.length === 1 ? '' : 's'}` : `${String(value)}${suffix}`;
          return (
            <tr key={key}>
              <th scope="row">{spec?.label ?? key}</th>
              <td>{shown}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}


