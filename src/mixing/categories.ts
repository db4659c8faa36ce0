// Track categories suggested from file names and labels: "Kick In.wav" is drums, "Bass DI.flac"
// bass, "Lead Vox 2.wav" vocals. The editor asks when a track is added (nothing is set yet, so a
// suggestion never overrides the user); for a session made before, categorySuggestions lists the
// tracks still at the default ("other") with what their name suggests, for the user to accept, and
// applyCategories sets the accepted ones as one undo step.
import type { Draft } from 'immer';
import { CATEGORIES } from '../../nodes/track/definition.ts';
import type { Command } from '../model/commands.ts';
import { nodeAt, walkNodes, type Graph, type SessionDoc } from '../model/document.ts';

export type TrackCategory = (typeof CATEGORIES)[number];

/** The default category, which the format cannot tell apart from one the user chose: "not set". */
export const UNSET_CATEGORY: TrackCategory = 'other';

/**
 * Words per category, tried in this order (the first category with a word wins: "bass drum" is
 * drums, "synth bass" bass). A word matches a whole word of the name, its plural, or, for words of
 * four letters and more, the start of one ("snaretop", "vocals", "overheads").
 */
const WORDS: readonly [TrackCategory, readonly string[]][] = [
  ['drums', ['kick', 'kik', 'bd', 'snare', 'snr', 'sd', 'hat', 'hats', 'hh', 'hihat', 'overhead', 'oh', 'ohs', 'tom', 'toms', 'drum', 'drums', 'perc', 'percussion', 'cymbal', 'ride', 'crash', 'clap', 'rim']],
  ['bass', ['bass', 'sub', 'subbass']],
  ['guitar', ['gtr', 'gtrs', 'guitar', 'acoustic']],
  ['vocals', ['vox', 'vocal', 'voice', 'voc', 'vo', 'bv', 'bvs', 'bgv', 'choir', 'harmony', 'singer']],
  ['keys', ['keys', 'piano', 'pno', 'synth', 'pad', 'organ', 'rhodes', 'wurli', 'epiano']],
  ['fx', ['fx', 'sfx', 'effect', 'riser', 'impact', 'sweep']],
];

/** The words of a name: "01_KickIn-L.wav" -> ["kick", "in", "l"] (digits and the extension dropped). */
export function nameWords(name: string): string[] {
  const base = name.split(/[\\/]/).pop() ?? name;
  const stem = base.replace(/\.[A-Za-z0-9]{2,5}$/, '');
  return stem
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

const matches = (word: string, key: string) => word === key || word === `${key}s` || (key.length >= 4 && word.startsWith(key));

/** The category a file name or label suggests, or null when it says nothing ("Track 3.wav"). */
export function suggestCategory(name: string): TrackCategory | null {
  const words = nameWords(name);
  if (words.length === 0) return null;
  // "bass drum" and "bassdrum" are a kick, whatever the order of the table says
  if (words.some((w) => w.startsWith('bassdrum')) || (words.includes('bass') && words.some((w) => w.startsWith('drum')))) return 'drums';
  for (const [category, keys] of WORDS) if (words.some((w) => keys.some((k) => matches(w, k)))) return category;
  return null;
}

export interface CategorySuggestion {
  /** The track's path. */
  path: string;
  label: string;
  current: TrackCategory;
  suggested: TrackCategory;
  /** What it was read from: the source file's name or the label. */
  from: string;
}

/**
 * Tracks whose category is still the default, with the category their source file (or else their
 * label) suggests. Tracks with a category set are never listed.
 */
export function categorySuggestions(doc: SessionDoc): CategorySuggestion[] {
  const out: CategorySuggestion[] = [];
  for (const { node, path } of walkNodes(doc)) {
    if (node.type !== 'track') continue;
    const current = node.params.category as TrackCategory;
    if (current !== UNSET_CATEGORY) continue;
    const source = String(node.params.source ?? '');
    const label = node.label ?? '';
    for (const from of [source, label]) {
      const suggested = from ? suggestCategory(from) : null;
      if (suggested && suggested !== UNSET_CATEGORY) {
        out.push({ path, label: label || path, current, suggested, from });
        break;
      }
    }
  }
  return out;
}

/**
 * Set the given tracks' categories, one undo step. A track whose category is no longer the default
 * when the command runs (the user set it meanwhile) is left as it is.
 */
export function applyCategories(choices: readonly { path: string; category: TrackCategory }[]): Command {
  return {
    label: choices.length === 1 ? `Set the category of ${choices[0].path}` : `Set the categories of ${choices.length} tracks`,
    run(d: Draft<SessionDoc>) {
      for (const { path, category } of choices) {
        const node = nodeAt(d as Graph, path);
        if (!node || node.type !== 'track') throw new Error(`no track "${path}"`);
        if (!(CATEGORIES as readonly string[]).includes(category)) throw new Error(`unknown category "${category}"`);
        if (node.params.category === UNSET_CATEGORY) node.params.category = category;
      }
    },
  };
}

/** A track's category for the analyses: the one set, or else what its name suggests, or "other". */
export function effectiveCategory(node: { params: Record<string, unknown>; label?: string }): TrackCategory {
  const set = node.params.category as TrackCategory;
  if (set && set !== UNSET_CATEGORY) return set;
  return suggestCategory(String(node.params.source ?? '')) ?? suggestCategory(node.label ?? '') ?? UNSET_CATEGORY;
}
