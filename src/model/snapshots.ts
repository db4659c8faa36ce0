// Snapshots: the parameter state of the whole session under a name (A/B/C...), saved in the session.
// A snapshot holds, for every node (inner group nodes by path), the params that reach the sound
// (not files, not metadata such as a track's colour) and its bypass. Recalling one is one undo step;
// nodes added after it keep their values, and entries for nodes that are gone are dropped with them.
import type { Draft } from 'immer';
import type { ParamValue } from '../../nodes/define.ts';
import type { Command } from './commands.ts';
import { nodeAt, walkNodes, type Snapshot, type SnapshotValue, type SessionDoc } from './document.ts';
import { copy, findNode } from './draft.ts';
import { canBypass, snapshotParams } from './validate.ts';

/** The current state as snapshot values: every node by path. */
export function snapshotValues(doc: SessionDoc): Record<string, SnapshotValue> {
  const values: Record<string, SnapshotValue> = {};
  for (const { node, path } of walkNodes(doc)) {
    const params: Record<string, ParamValue> = {};
    for (const key of snapshotParams(node)) params[key] = structuredClone(node.params[key]);
    const value: SnapshotValue = { params };
    if (canBypass(node)) value.bypass = node.bypass === true;
    if (Object.keys(params).length || value.bypass !== undefined) values[path] = value;
  }
  return values;
}

/** A snapshot id not used yet ("s1", "s2", ...). */
export function freshSnapshotId(doc: SessionDoc): string {
  const used = new Set((doc.snapshots ?? []).map((s) => s.id));
  for (let i = 1; ; i++) if (!used.has(`s${i}`)) return `s${i}`;
}

/** The next letter name for a snapshot: A, B, ... Z, then "Snapshot 27". */
export function nextSnapshotName(doc: SessionDoc): string {
  const names = new Set((doc.snapshots ?? []).map((s) => s.name));
  for (let i = 0; i < 26; i++) if (!names.has(String.fromCharCode(65 + i))) return String.fromCharCode(65 + i);
  for (let i = 27; ; i++) if (!names.has(`Snapshot ${i}`)) return `Snapshot ${i}`;
}

function snapshotOf(d: Draft<SessionDoc>, id: string): Draft<Snapshot> {
  const s = d.snapshots?.find((x) => x.id === id);
  if (!s) throw new Error(`there is no snapshot "${id}"`);
  return s;
}

/** Store the current state as a new snapshot (last in the list). */
export function captureSnapshot(name: string, id?: string): Command {
  return {
    label: `Store snapshot "${name}"`,
    run(d) {
      const sid = id ?? freshSnapshotId(d as SessionDoc);
      if (d.snapshots?.some((s) => s.id === sid)) throw new Error(`a snapshot "${sid}" exists already`);
      const snapshot = { id: sid, name, values: snapshotValues(copy(d) as SessionDoc) } as Draft<Snapshot>;
      if (d.snapshots) d.snapshots.push(snapshot);
      else d.snapshots = [snapshot];
    },
  };
}

/** Overwrite a snapshot with the current state. */
export function updateSnapshot(id: string): Command {
  return {
    label: `Update snapshot`,
    run(d) {
      snapshotOf(d, id).values = snapshotValues(copy(d) as SessionDoc) as Draft<Snapshot['values']>;
    },
  };
}

/** Set every node the snapshot has values for to them: one undo step. */
export function recallSnapshot(id: string): Command {
  return {
    label: `Recall snapshot`,
    run(d) {
      const s = snapshotOf(d, id);
      for (const [path, value] of Object.entries(s.values)) {
        const node = nodeAt(d as SessionDoc, path);
        if (!node) continue;
        const target = findNode(d, path);
        const allowed = new Set(snapshotParams(node));
        for (const [key, v] of Object.entries(value.params)) {
          // Only real changes: an unchanged value written again would still be a patch.
          if (allowed.has(key) && JSON.stringify(target.params[key]) !== JSON.stringify(v)) target.params[key] = copy(v) as Draft<ParamValue>;
        }
        if (value.bypass !== undefined && (target.bypass === true) !== value.bypass) target.bypass = value.bypass;
      }
    },
  };
}

export function renameSnapshot(id: string, name: string): Command {
  return {
    label: `Rename snapshot`,
    mergeKey: `snapshot-name:${id}`,
    run(d) {
      snapshotOf(d, id).name = name;
    },
  };
}

export function deleteSnapshot(id: string): Command {
  return {
    label: `Delete snapshot`,
    run(d) {
      snapshotOf(d, id);
      const rest = d.snapshots!.filter((s) => s.id !== id);
      // No snapshots is written as none at all, so a session without them saves as before.
      if (rest.length) d.snapshots = rest;
      else delete d.snapshots;
    },
  };
}

/** Move a snapshot to another place in the list (the order of the A/B/C buttons). */
export function moveSnapshot(id: string, index: number): Command {
  return {
    label: `Move snapshot`,
    run(d) {
      const list = d.snapshots ?? [];
      const from = list.findIndex((s) => s.id === id);
      if (from < 0) throw new Error(`there is no snapshot "${id}"`);
      const to = Math.max(0, Math.min(list.length - 1, index));
      if (from === to) return;
      const [s] = list.splice(from, 1);
      list.splice(to, 0, s);
    },
  };
}

/** Which snapshot the session matches now, if any (to light its button). */
export function matchingSnapshot(doc: SessionDoc): string | undefined {
  const now = snapshotValues(doc);
  return (doc.snapshots ?? []).find((s) => Object.entries(s.values).every(([path, v]) => {
    const cur = now[path];
    if (!cur) return true;
    return Object.entries(v.params).every(([k, x]) => JSON.stringify(cur.params[k]) === JSON.stringify(x)) && (v.bypass === undefined || v.bypass === cur.bypass);
  }))?.id;
}
