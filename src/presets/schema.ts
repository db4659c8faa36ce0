// The format's one source of truth (zod 4): the shapes of sessions, chains, node presets and albums,
// with each node type's params built from its definition's ParamSpecs. From it come
//   - the runtime checks: the loaders check a file's shape here (structureSchemas) and validate() checks
//     each node's params here (paramsSchema), with messages in the loaders' style;
//   - the TypeScript types of the documents (src/model/document.ts derives them from these schemas);
//   - the published JSON Schema, presets/schema.json (publishedSchema(); `npm run schema` writes it).
// Graph rules (ports, loops, ids, references) are not shapes: they stay in src/model/validate.ts.
import * as z from 'zod';

import type { ListParam, NodeDefinition, ParamSpec, ParamValue, Params } from '../../nodes/define.ts';
import { definitions } from '../../nodes/registry.ts';

export const FORMAT = 'mixgraph';
export const FORMAT_VERSION = 2;

export const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/;
export const MAX_NODES = 10_000;
export const MAX_EDGES = 50_000;
export const MAX_SNAPSHOTS = 100;
export const MAX_PORTS = 16;
/** Groups inside groups: deeper than this is refused (the JSON depth limit would come soon after). */
export const MAX_GROUP_DEPTH = 12;
export const MAX_LABEL = 200;
export const MAX_NAME = 1000;
export const MAX_DESCRIPTION = 10_000;
export const MAX_TAGS = 50;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as a message quotes it: short, one line. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ------------------------------------------------------------------ building blocks with our messages
// Every schema carries its own message, so the problems read like the rest of Mixgraph's
// ("must be a list of nodes", "unknown field; known: ..."), not like a library's.

type Message = string | ((input: unknown) => string);
const say = (m: Message, input: unknown) => (typeof m === 'string' ? m : m(input));
const required = (m: Message) => (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : say(m, iss.input));

function text(max: number, what = 'a string') {
  return z.string({ error: required((v) => `must be ${what}, got ${shown(v)}`) }).max(max, { error: `must be at most ${max} characters` });
}
function finite(what = 'a number') {
  return z.number({ error: required((v) => `must be ${what}, got ${shown(v)}`) });
}
function flag() {
  return z.boolean({ error: required((v) => `must be true or false, got ${shown(v)}`) });
}
function list<T extends z.ZodType>(item: T, what: string, max: number) {
  return z.array(item, { error: required(`must be a list of ${what}`) }).max(max, { error: (iss) => `${(iss.input as unknown[]).length} ${what}; at most ${max}` });
}
/** An object that refuses unknown fields (the message names the known ones; the loader reports each key). */
function obj<S extends z.core.$ZodLooseShape>(shape: S, what: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field; known: ${known}` : iss.input === undefined ? 'is required' : `must be ${what}`) });
}
const id = (what = 'id') => text(64, 'a string').regex(ID_PATTERN, { error: (iss) => `${what} ${shown(iss.input)} must be 1-64 letters, digits, or _ . : - (not starting with . : -)` });

// ------------------------------------------------------------------ params, from the node definitions

function unitText(spec: { unit: string }): string {
  return spec.unit && !['ratio', 'mix', 'pan', 'Q'].includes(spec.unit) ? ` ${spec.unit}` : '';
}

/** The schema of one param: with its default, or (a required list-item field) without one. */
export function paramSchema(spec: ParamSpec, isRequired = false): z.ZodType {
  const describe = (s: z.ZodType, extra = '') => s.meta({ title: spec.label, description: [spec.description, extra].filter(Boolean).join(' ') || undefined });
  const withDefault = <T extends z.ZodType>(s: T, value: unknown) => (isRequired ? s : s.default(value as never));
  const msg = (m: (v: unknown) => string) => (iss: { input?: unknown }) => (isRequired && iss.input === undefined ? 'is required' : m(iss.input));
  switch (spec.kind) {
    case 'number': {
      const m = msg((v) => `must be a number from ${spec.min} to ${spec.max}${unitText(spec)}, got ${shown(v)}`);
      const s = z.number({ error: m }).min(spec.min, { error: m }).max(spec.max, { error: m });
      return describe(withDefault(s, spec.default), `${spec.unit ? `[${spec.unit}] ` : ''}${spec.min} to ${spec.max}, default ${spec.default}.`);
    }
    case 'bool':
      return describe(withDefault(z.boolean({ error: msg((v) => `must be true or false, got ${shown(v)}`) }), spec.default), `Default ${spec.default}.`);
    case 'enum':
      return describe(withDefault(z.enum(spec.options as [string, ...string[]], { error: msg((v) => `must be one of ${spec.options.join(', ')}, got ${shown(v)}`) }), spec.default), `Default ${JSON.stringify(spec.default)}.`);
    case 'string': {
      let s = z.string({ error: msg((v) => `must be a string, got ${shown(v)}`) });
      if (spec.maxLength !== undefined) s = s.max(spec.maxLength, { error: `is longer than ${spec.maxLength} characters` });
      if (spec.format === 'color') s = s.regex(/^(#[0-9a-fA-F]{3,8})?$/, { error: (iss) => `must be a hex colour like #e05a47, got ${shown(iss.input)}` });
      return describe(withDefault(s, spec.default), spec.format === 'file' ? 'A path relative to the document (inside a package: the path of the file in it).' : '');
    }
    case 'list':
      return describe(listSchema(spec));
  }
}

function listSchema(spec: ListParam): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, s] of Object.entries(spec.item)) shape[key] = paramSchema(s, spec.required.includes(key));
  const known = Object.keys(spec.item).join(', ');
  const item = z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field; known: ${known}` : 'must be an object') });
  return z
    .array(item, { error: (iss) => `must be a list, got ${shown(iss.input)}` })
    .max(spec.maxItems, { error: (iss) => `has ${(iss.input as unknown[]).length} items; at most ${spec.maxItems} are allowed` })
    .default(() => structuredClone(spec.default) as Record<string, unknown>[]);
}

const paramsCache = new WeakMap<NodeDefinition, z.ZodType>();

/** The schema of a node type's params: every param optional (its default), unknown names refused. */
export function paramsSchema(def: NodeDefinition): z.ZodType<Params> {
  let s = paramsCache.get(def);
  if (!s) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, spec] of Object.entries(def.params)) shape[key] = paramSchema(spec);
    const known = Object.keys(def.params);
    s = z.strictObject(shape, {
      error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown parameter for ${def.type}; known: ${known.length ? known.join(', ') : 'none'}` : 'params must be an object'),
    });
    paramsCache.set(def, s);
  }
  return s as z.ZodType<Params>;
}

// ------------------------------------------------------------------ document shapes

/** Params as the structure check sees them: an object; each type's own schema checks the inside. */
const looseParams = z.custom<Params>(isRecord, { error: 'params must be an object' });
const paramValues = z.custom<Record<string, ParamValue>>(isRecord, { error: 'must be an object of parameter values' });

export const positionSchema = obj({ x: finite(), y: finite() }, '{ "x": number, "y": number }');

export const portSchema = obj(
  {
    id: id('port id'),
    label: text(MAX_LABEL).optional(),
    role: z.enum(['audio', 'sidechain', 'aux'], { error: (iss) => `must be audio, sidechain or aux, got ${shown(iss.input)}` }).optional(),
    optional: flag().optional(),
  },
  'a port: { "id": "in" }',
);

export const edgeSchema = obj(
  {
    from: z.string({ error: 'must be a node id' }).max(64, { error: 'must be a node id (at most 64 characters)' }),
    fromPort: z.string({ error: 'must be a port name' }).max(64, { error: 'must be a port name (at most 64 characters)' }).default('out'),
    to: z.string({ error: 'must be a node id' }).max(64, { error: 'must be a node id (at most 64 characters)' }),
    toPort: z.string({ error: 'must be a port name' }).max(64, { error: 'must be a port name (at most 64 characters)' }).default('in'),
  },
  'an object with from and to',
);

export const metaSchema = obj(
  {
    author: z.string({ error: 'must be a string' }).max(MAX_LABEL, { error: `must be at most ${MAX_LABEL} characters` }).default(''),
    description: z.string({ error: 'must be a string' }).max(MAX_DESCRIPTION, { error: `must be at most ${MAX_DESCRIPTION} characters` }).default(''),
    tags: z
      .array(z.string({ error: 'must be a string (tags are a list of strings)' }).max(100, { error: 'must be at most 100 characters' }), { error: 'must be a list of strings' })
      .max(MAX_TAGS, { error: `must be a list of at most ${MAX_TAGS} strings` })
      .default(() => []),
  },
  'an object: { "author": ..., "description": ..., "tags": [...] }',
);
const defaultMeta = () => ({ author: '', description: '', tags: [] as string[] });

/** A knob on a group's face: a view of one inner node's param (or of an inner group's knob). */
export const exposedSchema = obj(
  {
    id: id('knob id'),
    node: text(64, 'the id of a node in the group'),
    param: text(64, 'a parameter name'),
    label: text(MAX_LABEL).optional(),
  },
  'a knob: { "id": ..., "node": ..., "param": ... }',
);

// The node and the group body refer to each other (groups nest): zod 4 getters.
export const nodeSchema = obj(
  {
    id: z.string({ error: (iss) => `id ${shown(iss.input)} must be 1-64 letters, digits, or _ . : - (not starting with . : -)` }),
    type: z.string({ error: required('is required: the node type, e.g. "eq"') }),
    label: z.string({ error: `must be a string of at most ${MAX_LABEL} characters` }).max(MAX_LABEL, { error: `must be a string of at most ${MAX_LABEL} characters` }).optional(),
    position: positionSchema.optional(),
    params: looseParams.default(() => ({})),
    bypass: flag().optional(),
    get group(): z.ZodOptional<typeof groupBodySchema> {
      return groupBodySchema.optional();
    },
  },
  'an object with id and type',
);

export const groupBodySchema = obj(
  {
    get nodes(): z.ZodArray<typeof nodeSchema> {
      return z.array(nodeSchema, { error: required('must be a list of nodes') }).max(MAX_NODES, { error: (iss) => `${(iss.input as unknown[]).length} nodes; at most ${MAX_NODES}` });
    },
    edges: list(edgeSchema, 'edges', MAX_EDGES).default(() => []),
    inputs: list(portSchema, 'ports', MAX_PORTS).default(() => []),
    outputs: list(portSchema, 'ports', MAX_PORTS).default(() => []),
    exposed: list(exposedSchema, 'knobs', 64).default(() => []),
  },
  'a group body: { "nodes": [...], "edges": [...], "inputs": [...], "outputs": [...], "exposed": [...] }',
);

export const snapshotSchema = obj(
  {
    id: id('snapshot id'),
    name: text(MAX_LABEL),
    values: z
      .record(
        z.string(),
        obj({ params: paramValues.default(() => ({})), bypass: flag().optional() }, 'an object: { "params": {...}, "bypass": false }'),
        { error: 'must be an object: node path -> { "params": {...} }' },
      )
      .default(() => ({})),
  },
  'a snapshot: { "id": ..., "name": ..., "values": {...} }',
);

// ------------------------------------------------------------------ annotations: notes and frames
// Text on the canvas for the people reading the graph (a class, a client): nothing the audio hears.
// A note's text is Markdown source (rendered with markdown-it, html off: never markup of its own); a
// frame is a labelled box drawn under a group of nodes. Both live at the session's top level.

export const MAX_ANNOTATIONS = 500;
export const NOTE_MAX_TEXT = 10_000;
/** Width and height of a note or frame, in canvas pixels: big enough to grab, small enough to stay a box. */
export const ANNOTATION_SIZE_RANGE = [40, 20_000] as const;
/** Positions as far out as any sane canvas goes (React Flow works in floats; this keeps them finite and sane). */
export const ANNOTATION_COORD_RANGE = [-1_000_000, 1_000_000] as const;

const coord = (what: string) => {
  const [lo, hi] = ANNOTATION_COORD_RANGE;
  const m = (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : `must be a number from ${lo} to ${hi} (the ${what} in canvas pixels), got ${shown(iss.input)}`);
  return z.number({ error: m }).min(lo, { error: m }).max(hi, { error: m });
};
const extent = (what: string) => {
  const [lo, hi] = ANNOTATION_SIZE_RANGE;
  const m = (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : `must be a number from ${lo} to ${hi} (the ${what} in canvas pixels), got ${shown(iss.input)}`);
  return z.number({ error: m }).min(lo, { error: m }).max(hi, { error: m });
};
const annotationPlace = {
  id: id('annotation id'),
  position: obj({ x: coord('left edge'), y: coord('top edge') }, '{ "x": number, "y": number }').meta({ description: 'The top-left corner on the canvas.' }),
  size: obj({ width: extent('width'), height: extent('height') }, '{ "width": number, "height": number }'),
  color: z
    .string({ error: (iss) => `must be a colour like "#e0b040", got ${shown(iss.input)}` })
    .regex(/^#[0-9a-fA-F]{6}$/, { error: (iss) => `must be a colour like "#e0b040" (# and six hex digits), got ${shown(iss.input)}` })
    .optional(),
};
export const noteSchema = obj(
  {
    ...annotationPlace,
    kind: z.literal('note'),
    text: text(NOTE_MAX_TEXT, 'the note\'s text (a small subset of Markdown)').meta({ description: 'Markdown: headings, emphasis, lists, links (they open in a new tab); HTML is shown as text.' }),
  },
  'a note: { "id": ..., "kind": "note", "position": {...}, "size": {...}, "text": ... }',
).meta({ title: 'Note', description: 'Text on the canvas.' });
export const frameSchema = obj(
  { ...annotationPlace, kind: z.literal('frame'), label: text(MAX_LABEL, 'the frame\'s label') },
  'a frame: { "id": ..., "kind": "frame", "position": {...}, "size": {...}, "label": ... }',
).meta({ title: 'Frame', description: 'A labelled box drawn under a group of nodes.' });
export const ANNOTATION_KINDS = ['note', 'frame'] as const;
export const annotationSchema = z.discriminatedUnion('kind', [noteSchema, frameSchema], {
  error: (iss) =>
    iss.code === 'invalid_union' && isRecord(iss.input) ? `unknown annotation kind ${shown(iss.input.kind)}; known: ${ANNOTATION_KINDS.join(', ')}` : 'must be a note or a frame: { "kind": "note" | "frame", ... }',
});
const annotations = { annotations: list(annotationSchema, 'annotations', MAX_ANNOTATIONS).optional().meta({ description: 'Notes and frames on the canvas (nothing the audio hears).' }) };

/** `"types": {"reverb": 2}`: the version of each node type's params in the file (1 when absent). */
export const typesSchema = z.record(z.string(), z.number().int().min(1), { error: 'must be an object: node type -> version, e.g. { "reverb": 2 }' });

const headStart = {
  $schema: text(1024).optional().meta({ description: 'Where an editor finds this schema, e.g. "../schema.json" (VS Code validates and completes the file with it).' }),
  format: z.literal(FORMAT, { error: (iss) => `expected "${FORMAT}", got ${shown(iss.input)}: this is not a Mixgraph file` }),
  version: z.literal(FORMAT_VERSION, { error: (iss) => `must be ${FORMAT_VERSION}, got ${shown(iss.input)}` }),
};
const headEnd = {
  name: z.string({ error: 'must be a string' }).max(MAX_NAME, { error: `must be at most ${MAX_NAME} characters` }).default('Untitled'),
  meta: metaSchema.default(defaultMeta),
  types: typesSchema.optional(),
};
const header = { ...headStart, ...headEnd };
const graph = {
  nodes: z.array(nodeSchema, { error: 'must be a list of nodes' }).max(MAX_NODES, { error: (iss) => `${(iss.input as unknown[]).length} nodes; at most ${MAX_NODES}` }),
  edges: z.array(edgeSchema, { error: 'must be a list of edges' }).max(MAX_EDGES, { error: (iss) => `${(iss.input as unknown[]).length} edges; at most ${MAX_EDGES}` }).default(() => []),
};

const kind = <K extends string>(k: K) => z.literal(k, { error: (iss) => `expected "${k}", got ${shown(iss.input)}${kindHint(iss.input, k)}` });
function kindHint(got: unknown, want: string): string {
  if (typeof got !== 'string' || !KINDS.includes(got as Kind)) return '';
  const a = (w: string) => (/^[aeiou]/.test(w) ? 'an' : 'a');
  return `: this file is ${a(got)} ${got}, not ${a(want)} ${want}`;
}
export const KINDS = ['session', 'chain', 'node-preset', 'album', 'lesson'] as const;
export type Kind = (typeof KINDS)[number];

export const sessionFileSchema = obj(
  { ...headStart, kind: kind('session'), ...headEnd, ...graph, snapshots: list(snapshotSchema, 'snapshots', MAX_SNAPSHOTS).optional(), ...annotations },
  'a Mixgraph session',
);
/** A chain may carry knobs (`exposed`, as a group's): inserted as a group, it shows them. */
const chainKnobs = { exposed: list(exposedSchema, 'knobs', 64).optional() };
export const chainFileSchema = obj({ ...headStart, kind: kind('chain'), ...headEnd, ...graph, ...chainKnobs }, 'a Mixgraph chain');
export const nodePresetFileSchema = obj(
  { ...headStart, kind: kind('node-preset'), ...headEnd, type: z.string({ error: required('is required: the node type the preset is for, e.g. "compressor"') }), params: looseParams.default(() => ({})) },
  'a Mixgraph node preset',
);

export const ALBUM_MAX_TRACKS = 99; // a CUE sheet's limit
export const ALBUM_TARGET_RANGE = [-36, -5] as const;
export const ALBUM_CEILING_RANGE = [-12, 0] as const;
export const ALBUM_TRACK_GAIN_RANGE = [-24, 24] as const;

/** Why `v` is not a finite number within `range` ("must be a number from -36 to -5 LUFS, got ..."), or null. */
export function outOfRange(v: unknown, range: readonly [number, number], unit: string, quoted: unknown = v): string | null {
  if (typeof v === 'number' && Number.isFinite(v) && v >= range[0] && v <= range[1]) return null;
  return `must be a number from ${range[0]} to ${range[1]} ${unit}, got ${JSON.stringify(quoted)}`;
}
const ranged = (range: readonly [number, number], unit: string) => {
  const m = (iss: { input?: unknown }) => outOfRange(iss.input, range, unit) ?? '';
  return z.number({ error: m }).min(range[0], { error: m }).max(range[1], { error: m });
};
const nonEmpty = (max: number) =>
  z
    .string({ error: `must be a non-empty string of at most ${max} characters` })
    .max(max, { error: `must be a non-empty string of at most ${max} characters` })
    .refine((v) => v.trim() !== '', { error: `must be a non-empty string of at most ${max} characters` });

export const albumTrackSchema = obj(
  {
    title: nonEmpty(200),
    source: nonEmpty(1024),
    isrc: z.string({ error: 'must be a string like "GB-AYE-24-00001"' }).optional(),
    artist: z.string({ error: 'must be a string of at most 200 characters' }).max(200, { error: 'must be a string of at most 200 characters' }).optional(),
    gain: ranged(ALBUM_TRACK_GAIN_RANGE, 'dB').default(0),
  },
  'an object with title and source',
);

/** An album's inline chain may leave out format and version: it lives inside a file that has them. */
export const inlineChainSchema = obj({ ...headStart, format: headStart.format.optional(), version: headStart.version.optional(), kind: kind('chain'), ...headEnd, ...graph, ...chainKnobs }, 'a chain object');

export const albumFileSchema = obj(
  {
    $schema: header.$schema,
    format: header.format,
    version: header.version,
    kind: kind('album'),
    types: header.types,
    name: nonEmpty(200),
    artist: nonEmpty(200),
    chain: z.union([z.string(), inlineChainSchema], {
      error: 'is required: the path of a chain file (e.g. "../chains/streaming.json") or a chain object',
    }),
    target: ranged(ALBUM_TARGET_RANGE, 'LUFS'),
    ceiling: ranged(ALBUM_CEILING_RANGE, 'dBTP').optional(),
    tracks: z
      .array(albumTrackSchema, { error: 'must be a list of at least one track: { "title": ..., "source": ... }' })
      .min(1, { error: 'must be a list of at least one track: { "title": ..., "source": ... }' })
      .max(ALBUM_MAX_TRACKS, { error: (iss) => `${(iss.input as unknown[]).length} tracks; an album has at most ${ALBUM_MAX_TRACKS} (the CUE sheet's limit)` }),
  },
  'a Mixgraph album',
);

// ------------------------------------------------------------------ lessons
// A lesson: a starting session and ordered steps, each with its text (a small safe Markdown subset,
// stored as text: the editor renders it with markdown-it, html off) and checks written as data. What
// each check means is src/lessons/checks.ts; the loader (src/presets/lesson.ts) checks that the nodes
// and types a check names exist.

export const LESSON_MAX_STEPS = 100;
export const LESSON_MAX_CHECKS = 50;
export const LESSON_MAX_TEXT = 20_000;
/** Seconds the CLI renders a session whose length no file sets (generators play until stopped). */
export const LESSON_SECONDS_RANGE = [0.5, 600] as const;
export const LESSON_DEFAULT_SECONDS = 5;
export const LEVELLED_TOLERANCE_RANGE = [0, 24] as const;

const nodePath = (what: string) =>
  z.string({ error: required(`must be a node path (an id, inside groups "group/id"): ${what}`) }).min(1, { error: 'must not be empty' }).max(1024, { error: 'must be at most 1024 characters' });
const nodeTypeName = (what: string) => z.string({ error: required(`must be a node type, e.g. "compressor": ${what}`) }).max(64, { error: 'must be at most 64 characters' });
const bounds = {
  min: finite().optional().meta({ description: 'The smallest value that passes (inclusive); leave out for no lower bound.' }),
  max: finite().optional().meta({ description: 'The largest value that passes (inclusive); leave out for no upper bound.' }),
};
const checkHead = { label: text(MAX_LABEL).optional().meta({ description: 'What the student sees beside the tick; by default one is made from the check.' }) };

export const pathCheckSchema = obj(
  {
    type: z.literal('path'),
    ...checkHead,
    from: nodePath('where the signal starts'),
    to: nodePath('where it must arrive'),
    through: nodeTypeName('a node of this type must be on the way').optional(),
    notThrough: nodeTypeName('no node of this type may be on the way').optional(),
  },
  'a path check: { "type": "path", "from": ..., "to": ... }',
).meta({ title: 'Path check', description: 'The signal flows from `from` to `to` (sidechains steer, they do not carry it), optionally through a node of type `through` and never through one of type `notThrough`.' });
export const paramCheckSchema = obj(
  {
    type: z.literal('param'),
    ...checkHead,
    nodeType: nodeTypeName('the type of node to look for'),
    node: nodePath('only this node (default: any node of the type)').optional(),
    param: z.string({ error: required('must be a parameter name, e.g. "ratio", or for a list "bands.gain"') }).max(128),
    ...bounds,
    all: flag().optional().meta({ description: 'Every node of the type (and every item of a list) must be in range; by default one is enough.' }),
  },
  'a param check: { "type": "param", "nodeType": ..., "param": ..., "min": ..., "max": ... }',
).meta({ title: 'Parameter check', description: 'A node of `nodeType` exists with `param` from `min` to `max`. A list item\'s field is "list.field" (an EQ band\'s gain: "bands.gain"; disabled bands do not count).' });
export const levelCheckSchema = obj(
  {
    type: z.literal('level'),
    ...checkHead,
    node: nodePath('the node whose output is measured'),
    port: z.string({ error: 'must be an output port id, e.g. "send"' }).max(64).optional(),
    measure: z.enum(['peak', 'rms'], { error: 'must be "peak" or "rms"' }).default('peak'),
    ...bounds,
  },
  'a level check: { "type": "level", "node": ..., "measure": "peak", "min": ..., "max": ... }',
).meta({ title: 'Level check', description: 'The level at the node\'s output (its first output port, or `port`), in dBFS: the highest sample peak, or the RMS.' });
export const loudnessCheckSchema = obj(
  {
    type: z.literal('loudness'),
    ...checkHead,
    measure: z.enum(['integrated', 'truePeak'], { error: 'must be "integrated" (LUFS) or "truePeak" (dBTP)' }).default('integrated'),
    ...bounds,
  },
  'a loudness check: { "type": "loudness", "measure": "integrated", "min": ..., "max": ... }',
).meta({ title: 'Loudness check', description: 'The mix at the speakers: integrated loudness (LUFS, EBU R128) or true peak (dBTP).' });
export const bypassCheckSchema = obj(
  { type: z.literal('bypass'), ...checkHead, node: nodePath('the node'), bypassed: flag() },
  'a bypass check: { "type": "bypass", "node": ..., "bypassed": true }',
).meta({ title: 'Bypass check', description: 'The node is bypassed (true) or plays (false).' });
export const levelledCheckSchema = obj(
  {
    type: z.literal('levelled'),
    ...checkHead,
    tolerance: ranged(LEVELLED_TOLERANCE_RANGE, 'LU').default(2).meta({ description: 'How far apart (LU) the loudest and the quietest track may be.' }),
    target: ranged([-60, 0], 'LUFS').optional().meta({ description: 'When set, every track must also be within the tolerance of this loudness.' }),
  },
  'a levelled check: { "type": "levelled", "tolerance": 2 }',
).meta({ title: 'Levelled check', description: 'Every sounding track gives the mix about the same loudness (each measured through its own chain, as `mixgraph level` does).' });

export const CHECK_TYPES = ['path', 'param', 'level', 'loudness', 'bypass', 'levelled'] as const;
export const checkSchema = z.discriminatedUnion('type', [pathCheckSchema, paramCheckSchema, levelCheckSchema, loudnessCheckSchema, bypassCheckSchema, levelledCheckSchema], {
  error: (iss) => (iss.code === 'invalid_union' && isRecord(iss.input) ? `unknown check type ${shown(iss.input.type)}; known: ${CHECK_TYPES.join(', ')}` : 'must be a check: { "type": "path" | "param" | "level" | "loudness" | "bypass" | "levelled", ... }'),
});

export const lessonStepSchema = obj(
  {
    title: text(MAX_LABEL).optional(),
    text: text(LESSON_MAX_TEXT, 'text (a small subset of Markdown)'),
    checks: list(checkSchema, 'checks', LESSON_MAX_CHECKS).default(() => []),
  },
  'a step: { "text": ..., "checks": [...] }',
);

/** A lesson's starting session may leave out format and version: it lives inside a file that has them. */
export const inlineSessionSchema = z.custom<Record<string, unknown>>(isRecord, { error: 'must be a session object: { "kind": "session", "nodes": [...], "edges": [...] }' });

export const lessonFileSchema = obj(
  {
    $schema: header.$schema,
    format: header.format,
    version: header.version,
    kind: kind('lesson'),
    types: header.types,
    name: nonEmpty(200),
    description: text(MAX_DESCRIPTION).default(''),
    author: text(200).default(''),
    tags: z.array(text(64), { error: 'must be a list of strings' }).max(MAX_TAGS, { error: `at most ${MAX_TAGS} tags` }).default(() => []),
    seconds: ranged(LESSON_SECONDS_RANGE, 's').optional().meta({ description: `Seconds \`mixgraph check\` renders a session whose length no audio file sets (generators); default ${LESSON_DEFAULT_SECONDS}.` }),
    session: inlineSessionSchema,
    steps: z
      .array(lessonStepSchema, { error: 'must be a list of at least one step: { "text": ..., "checks": [...] }' })
      .min(1, { error: 'must be a list of at least one step: { "text": ..., "checks": [...] }' })
      .max(LESSON_MAX_STEPS, { error: (iss) => `${(iss.input as unknown[]).length} steps; at most ${LESSON_MAX_STEPS}` }),
  },
  'a Mixgraph lesson',
);

// ------------------------------------------------------------------ the published JSON Schema

/**
 * The strict form for editors and other tools: nodes one of the known types, each with its own params
 * (units, ranges, defaults and descriptions from the definitions), groups nesting. Generated into
 * presets/schema.json; a test fails when that file is out of date.
 */
export function publishedSchema(): Record<string, unknown> {
  const nodeFields = (extra: z.core.$ZodLooseShape) => ({
    id: id('node id').meta({ description: 'Unique in its graph (a group has its own ids); "input" and "output" are reserved in chains and groups.' }),
    label: text(MAX_LABEL).optional(),
    position: positionSchema.optional(),
    bypass: flag().optional().meta({ description: 'Output = input (a send\'s send output goes silent). Not for sources or the master.' }),
    ...extra,
  });
  const audioNodes = definitions.map((def) =>
    z
      .strictObject(nodeFields({ type: z.literal(def.type), params: paramsSchema(def).optional() }))
      .meta({ title: def.title, description: `${def.description} (type version ${def.version})` }),
  );
  const strictNode: z.ZodType = z.discriminatedUnion('type', [
    ...audioNodes,
    z.strictObject({
      ...nodeFields({ type: z.literal('group'), params: z.strictObject({}).optional() }),
      get group(): z.ZodType {
        return strictGroup;
      },
    }).meta({ title: 'Group', description: 'Nodes folded into one; its body uses the reserved ids "input" and "output" for the group\'s own ports.' }),
  ] as unknown as [z.ZodObject, ...z.ZodObject[]]);
  const strictGroup: z.ZodType = z.strictObject({
    nodes: z.array(strictNode),
    edges: z.array(edgeSchema).optional(),
    inputs: z.array(portSchema).max(MAX_PORTS).optional(),
    outputs: z.array(portSchema).max(MAX_PORTS).optional(),
    exposed: z.array(exposedSchema).optional(),
  });
  const strictGraph = { nodes: z.array(strictNode).max(MAX_NODES), edges: z.array(edgeSchema).max(MAX_EDGES).optional() };
  const types = z.strictObject(Object.fromEntries([...definitions.map((d) => d.type), 'group'].map((t) => [t, z.number().int().min(1).optional()])));
  const head = { ...header, types: types.optional().meta({ description: 'The version of each node type used (1 when absent). Saving writes the newest.' }) };
  const session = z.strictObject({ ...head, kind: z.literal('session'), ...strictGraph, snapshots: z.array(snapshotSchema).max(MAX_SNAPSHOTS).optional(), ...annotations }).meta({ title: 'Session' });
  const chain = z.strictObject({ ...head, kind: z.literal('chain'), ...strictGraph, exposed: z.array(exposedSchema).optional() }).meta({ title: 'Chain', description: 'Edges start at the reserved id "input" and end at "output".' });
  const nodePreset = z
    .discriminatedUnion('type', definitions.map((def) => z.strictObject({ ...head, kind: z.literal('node-preset'), type: z.literal(def.type), params: paramsSchema(def).optional() })) as unknown as [z.ZodObject, ...z.ZodObject[]])
    .meta({ title: 'Node preset' });
  const album = z
    .strictObject({ ...albumFileSchema.shape, chain: z.union([z.string(), z.strictObject({ ...head, format: header.format.optional(), version: header.version.optional(), kind: z.literal('chain'), ...strictGraph, exposed: z.array(exposedSchema).optional() })]) })
    .meta({ title: 'Album' });
  const lesson = z
    .strictObject({ ...lessonFileSchema.shape, session: z.strictObject({ ...head, format: header.format.optional(), version: header.version.optional(), kind: z.literal('session'), ...strictGraph, snapshots: z.array(snapshotSchema).max(MAX_SNAPSHOTS).optional(), ...annotations }) })
    .meta({ title: 'Lesson', description: 'A starting session and ordered steps, each with text and checks (see the README\'s "Lessons").' });
  const all = z.union([session, chain, nodePreset, album, lesson]).meta({
    title: 'Mixgraph document',
    description: `A Mixgraph session, chain, node preset, album or lesson, format version ${FORMAT_VERSION}. See the README's "The session format".`,
  });
  const json = z.toJSONSchema(all, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

/** presets/schema.json as `npm run schema` writes it. */
export function publishedSchemaText(): string {
  return JSON.stringify(publishedSchema(), null, 2) + '\n';
}

// ------------------------------------------------------------------ the document types

export type Position = z.output<typeof positionSchema>;
export type DocEdge = z.output<typeof edgeSchema>;
export type SessionMeta = z.output<typeof metaSchema>;
export type ExposedParam = z.output<typeof exposedSchema>;
export type GroupPort = z.output<typeof portSchema>;
export type GroupBody = z.output<typeof groupBodySchema>;
export type DocNode = z.output<typeof nodeSchema>;
export type Snapshot = z.output<typeof snapshotSchema>;
export type SnapshotValue = Snapshot['values'][string];
export type Annotation = z.output<typeof annotationSchema>;
export type NoteAnnotation = z.output<typeof noteSchema>;
export type FrameAnnotation = z.output<typeof frameSchema>;
export type Check = z.output<typeof checkSchema>;
export type PathCheck = z.output<typeof pathCheckSchema>;
export type ParamCheck = z.output<typeof paramCheckSchema>;
export type LevelCheck = z.output<typeof levelCheckSchema>;
export type LoudnessCheck = z.output<typeof loudnessCheckSchema>;
export type BypassCheck = z.output<typeof bypassCheckSchema>;
export type LevelledCheck = z.output<typeof levelledCheckSchema>;
export type LessonStep = z.output<typeof lessonStepSchema>;
