import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.ts';
import { addNode, connect, moveNodes, rename, setBypass, setParam } from '../../src/model/commands.ts';
import { History } from '../../src/model/history.ts';
import { FORMAT_VERSION } from '../../src/model/document.ts';
import { MAX_BYTES, MAX_DEPTH, parseJson, PresetError } from '../../src/presets/json.ts';
import { loadSession, loadSessionValue, MAX_NODES, saveSession } from '../../src/presets/load.ts';
import { migrate } from '../../src/presets/migrations.ts';

// The format example, version 1, exactly as documented.
const EXAMPLE = `{"format":"mixgraph","version":1,"kind":"session","name":"Demo mix","meta":{"author":"","description":"","tags":[]},
 "nodes":[{"id":"kick","type":"track","label":"Kick","position":{"x":0,"y":0},"params":{"source":"stems/kick.wav","gain":-6,"category":"drums"}},
  {"id":"eq1","type":"eq","params":{"bands":[{"type":"highpass","frequency":80,"q":0.707},{"type":"peaking","frequency":3000,"gain":2,"q":1}]}},
  {"id":"comp","type":"compressor","params":{"threshold":-18,"ratio":4},"bypass":false},
  {"id":"drums","type":"bus","label":"Drum bus"},{"id":"master","type":"master"}],
 "edges":[{"from":"kick","to":"eq1"},{"from":"eq1","to":"comp"},{"from":"comp","to":"drums"},{"from":"drums","to":"master"}]}`;

const example = () => JSON.parse(EXAMPLE) as Record<string, any>;
const text = (v: unknown) => JSON.stringify(v, null, 2);

/** The lines of the PresetError loadSession throws. */
function errors(source: string, name = 'mix.json'): string[] {
  try {
    loadSession(source, name);
  } catch (err) {
    expect(err).toBeInstanceOf(PresetError);
    return (err as PresetError).problems;
  }
  throw new Error('expected loadSession to fail');
}
/** Errors for the example after a change to its parsed form. */
function errorsAfter(change: (doc: Record<string, any>) => void): string[] {
  const doc = example();
  change(doc);
  return errors(text(doc));
}

describe('loading the format example', () => {
  const doc = loadSession(EXAMPLE, 'demo.json');

  it('keeps the header and meta', () => {
    // A version-1 file loads as the newest version.
    expect(doc).toMatchObject({ format: 'mixgraph', version: FORMAT_VERSION, kind: 'session', name: 'Demo mix', meta: { author: '', description: '', tags: [] } });
  });

  it('fills every omitted param with its default', () => {
    const byId = Object.fromEntries(doc.nodes.map((n) => [n.id, n]));
    expect(byId.kick.params).toEqual({ source: 'stems/kick.wav', gain: -6, pan: 0, mute: false, solo: false, invert: false, offset: 0, category: 'drums', color: '' });
    expect(byId.eq1.params).toEqual({
      bands: [
        { type: 'highpass', frequency: 80, gain: 0, q: 0.707, enabled: true },
        { type: 'peaking', frequency: 3000, gain: 2, q: 1, enabled: true },
      ],
    });
    expect(byId.comp.params).toEqual({ threshold: -18, ratio: 4, knee: 6, attack: 10, release: 150, makeup: 0 });
    expect(byId.drums.params).toEqual({ gain: 0 }); // no params at all
    expect(byId.master.params).toEqual({ gain: 0 });
  });

  it('label, position and bypass are optional and kept only when given', () => {
    expect(doc.nodes[0]).toStrictEqual({ id: 'kick', type: 'track', label: 'Kick', position: { x: 0, y: 0 }, params: doc.nodes[0].params });
    expect(doc.nodes[1]).toStrictEqual({ id: 'eq1', type: 'eq', params: doc.nodes[1].params });
    expect(doc.nodes[2]).toStrictEqual({ id: 'comp', type: 'compressor', params: doc.nodes[2].params, bypass: false });
    expect(doc.nodes[3]).toStrictEqual({ id: 'drums', type: 'bus', label: 'Drum bus', params: { gain: 0 } });
  });

  it('ports default to out -> in', () => {
    expect(doc.edges).toEqual([
      { from: 'kick', fromPort: 'out', to: 'eq1', toPort: 'in' },
      { from: 'eq1', fromPort: 'out', to: 'comp', toPort: 'in' },
      { from: 'comp', fromPort: 'out', to: 'drums', toPort: 'in' },
      { from: 'drums', fromPort: 'out', to: 'master', toPort: 'in' },
    ]);
  });

  it('compiles', () => {
    expect(compile(doc).ok).toBe(true);
  });

  it('name, meta and edges may be left out', () => {
    const min = loadSession('{"format":"mixgraph","version":1,"kind":"session","nodes":[{"id":"m","type":"master"}]}');
    expect(min).toEqual({ format: 'mixgraph', version: FORMAT_VERSION, kind: 'session', name: 'Untitled', meta: { author: '', description: '', tags: [] }, nodes: [{ id: 'm', type: 'master', params: { gain: 0 } }], edges: [] });
  });

  it('does not change the value it is given', () => {
    const value = example();
    const copy = structuredClone(value);
    expect(loadSessionValue(value).ok).toBe(true);
    expect(value).toEqual(copy);
  });
});

describe('saving', () => {
  it('save -> load gives back a deep-equal document', () => {
    const doc = loadSession(EXAMPLE);
    const again = loadSession(saveSession(doc));
    expect(again).toStrictEqual(doc);
    expect(saveSession(again)).toBe(saveSession(doc)); // and the file is stable
  });

  it('round-trips an edited document, bypass and ports included', () => {
    const h = new History(loadSession(EXAMPLE));
    h.run(addNode({ id: 'sc', type: 'send', label: 'To verb', position: { x: 5, y: -7.5 } }));
    h.run(addNode({ id: 'verb', type: 'reverb' }));
    h.run(connect({ from: 'drums', to: 'sc' }));
    h.run(connect({ from: 'sc', fromPort: 'send', to: 'verb' }));
    h.run(connect({ from: 'verb', to: 'master' }));
    h.run(connect({ from: 'kick', to: 'comp', toPort: 'sidechain' }));
    h.run(setBypass('eq1', true));
    h.run(setParam('kick', 'color', '#ff8800'));
    h.run(rename('master', 'Main out'));
    h.run(moveNodes([{ id: 'comp', position: { x: 1e6, y: -0.25 } }]));
    const saved = saveSession(h.doc);
    expect(loadSession(saved)).toEqual(h.doc);
    const file = JSON.parse(saved);
    // Default ports are left out; others are written.
    expect(file.edges).toContainEqual({ from: 'sc', fromPort: 'send', to: 'verb' });
    expect(file.edges).toContainEqual({ from: 'kick', to: 'comp', toPort: 'sidechain' });
    expect(file.edges).toContainEqual({ from: 'kick', to: 'eq1' });
    // Every param is written, defaults included, so the file documents itself.
    expect(Object.keys(file.nodes[0].params)).toHaveLength(9);
    expect(file.version).toBe(FORMAT_VERSION);
  });
});

describe('malformed JSON: errors say name:line:column', () => {
  const lines = (...l: string[]) => l.join('\n');
  const first = (source: string, name = 'mix.json') => {
    const problems = errors(source, name);
    expect(problems).toHaveLength(1);
    return problems[0];
  };

  it('a trailing comma in an object on line 3', () => {
    const src = lines('{', '  "format": "mixgraph",', '  "nodes": [{"id": "a", "type": "gain",}],', '  "version": 1', '}');
    expect(first(src)).toMatch(/^mix\.json:3:40: not valid JSON: /);
    expect(src.split('\n')[2][39]).toBe('}'); // column 40 is the brace after the comma
  });

  it('a trailing comma in a list on line 3 (V8 gives no position for this one)', () => {
    const src = lines('{', '  "format": "mixgraph",', '  "meta": {"tags": ["a", "b",]},', '  "version": 1', '}');
    const msg = first(src);
    expect(msg).toMatch(/^mix\.json:3:30: not valid JSON: /);
    expect(src.split('\n')[2][29]).toBe(']');
    expect(msg).not.toMatch(/is not valid JSON$/); // V8's echo of the text is left out
    expect(msg).not.toContain('\n'); // one problem, one line
  });

  it('an unterminated string: at the end of its line', () => {
    const src = lines('{', '  "format": "mixgraph",', '  "name": "Demo mix,', '  "version": 1', '}');
    expect(first(src)).toMatch(/^mix\.json:3:21: not valid JSON: /);
    expect(src.split('\n')[2].length).toBe(20);
  });

  it('an unterminated string at the end of the file', () => {
    expect(first('{"format": "mixgraph", "name": "Demo')).toMatch(/^mix\.json:1:37: not valid JSON: /);
  });

  it('a truncated file: at its very end', () => {
    const full = text(example());
    const cut = full.slice(0, full.indexOf('"eq1"') + 3);
    const lastLine = cut.split('\n').length;
    const lastColumn = cut.split('\n').at(-1)!.length + 1;
    expect(first(cut, 'cut.json')).toMatch(new RegExp(`^cut\\.json:${lastLine}:${lastColumn}: not valid JSON`));
    expect(lastLine).toBeGreaterThan(10);
  });

  it('a cut right after a comma, and an empty file', () => {
    expect(first('{"format": "mixgraph",\n')).toMatch(/^mix\.json:2:1: /);
    expect(first('')).toMatch(/^mix\.json:1:1: not valid JSON: /);
  });

  it('a bad literal, a single quote, a comment', () => {
    expect(first(lines('{', '  "format": "mixgraph",', '  "version": 1,', '  "x": True', '}'))).toMatch(/^mix\.json:4:8: /);
    expect(first(lines('{', "  'format': 'mixgraph'", '}'))).toMatch(/^mix\.json:2:3: /);
    expect(first(lines('{', '  "format": "mixgraph", // the format', '}'))).toMatch(/^mix\.json:2:25: /);
    expect(first('{"a": tru}')).toMatch(/^mix\.json:1:10: /);
    expect(first('{"a": 1}}')).toMatch(/^mix\.json:1:9: /);
  });

  it('parseJson uses its name argument', () => {
    expect(() => parseJson('{', 'preset.json')).toThrow(/^preset\.json:1:2: not valid JSON/);
  });
});

describe('version, format and kind', () => {
  it('a newer version: a clear message', () => {
    const [line] = errorsAfter((d) => (d.version = 3));
    expect(line).toBe('mix.json: version: version 3 is newer than this Mixgraph reads (2): update Mixgraph to open it');
  });

  it('version 0, "1", 1.5, null or none are rejected', () => {
    for (const v of [0, -1, '1', 1.5, null, undefined]) {
      const problems = errorsAfter((d) => (d.version = v));
      expect(problems, String(v)).toHaveLength(1);
      expect(problems[0]).toMatch(/^mix\.json: version: must be a whole number from 1 to 2, got /);
    }
  });

  it('version 1 migrates to 2 with nothing rewritten at the document level (node types migrate on their own)', () => {
    expect(migrate({ version: 1, a: 1 })).toEqual({ ok: true, value: { version: 2, a: 1 } });
    expect(migrate({ version: 2, a: 1 })).toEqual({ ok: true, value: { version: 2, a: 1 } });
  });

  it('not a mixgraph file: format missing or different', () => {
    expect(errorsAfter((d) => delete d.format)).toEqual(['mix.json: format: expected "mixgraph", got undefined: this is not a Mixgraph file']);
    expect(errorsAfter((d) => (d.format = 'reaper'))[0]).toMatch(/format: expected "mixgraph", got "reaper": this is not a Mixgraph file/);
    expect(errors('[1, 2]')).toEqual(['mix.json: (top): a Mixgraph file is a JSON object']);
    expect(errors('"mixgraph"')).toEqual(['mix.json: (top): a Mixgraph file is a JSON object']);
    expect(errors('null')).toEqual(['mix.json: (top): a Mixgraph file is a JSON object']);
  });

  it('a wrong kind', () => {
    expect(errorsAfter((d) => (d.kind = 'preset'))).toEqual(['mix.json: kind: expected "session", got "preset"']);
    expect(errorsAfter((d) => delete d.kind)[0]).toMatch(/kind: expected "session", got undefined/);
  });
});

describe('structure problems, each with its path', () => {
  it('unknown fields at the top, in a node, in an edge, in params, in a band', () => {
    expect(errorsAfter((d) => (d.author = 'me'))).toEqual(['mix.json: author: unknown field; known: $schema, format, version, kind, name, meta, types, nodes, edges, snapshots, annotations']);
    expect(errorsAfter((d) => (d.nodes[3].colour = 'red'))[0]).toMatch(/^mix\.json: nodes\[3\]\.colour \(node "drums"\): unknown field; known: id, type, label, position, params, bypass, group$/);
    expect(errorsAfter((d) => (d.edges[1].gain = 1))[0]).toMatch(/^mix\.json: edges\[1\]\.gain: unknown field; known: from, fromPort, to, toPort$/);
    expect(errorsAfter((d) => (d.nodes[2].params.drive = 1))[0]).toMatch(/^mix\.json: nodes\[2\]\.params\.drive \(node "comp"\): unknown parameter for compressor/);
    expect(errorsAfter((d) => (d.nodes[1].params.bands[1].width = 1))[0]).toMatch(/nodes\[1\]\.params\.bands\[1\]\.width \(node "eq1"\): unknown field/);
  });

  it('every problem is reported, one line each', () => {
    const problems = errorsAfter((d) => {
      d.nodes[0].params.gain = 40;
      d.nodes[1].params.bands[0].q = 100;
      d.edges.push({ from: 'drums', to: 'nowhere' });
    });
    expect(problems).toEqual([
      'mix.json: nodes[0].params.gain (node "kick"): must be a number from -60 to 12 dB, got 40',
      'mix.json: nodes[1].params.bands[0].q (node "eq1"): must be a number from 0.1 to 18, got 100',
      'mix.json: edges[4].to: no node with id "nowhere"',
    ]);
  });

  it('nodes and edges must be lists of objects', () => {
    expect(errorsAfter((d) => (d.nodes = {}))).toEqual(['mix.json: nodes: must be a list of nodes']);
    expect(errorsAfter((d) => delete d.nodes)).toEqual(['mix.json: nodes: must be a list of nodes']);
    expect(errorsAfter((d) => (d.edges = 'a->b'))).toEqual(['mix.json: edges: must be a list of edges']);
    expect(errorsAfter((d) => (d.nodes[1] = 'eq'))[0]).toMatch(/nodes\[1\]: must be an object with id and type/);
    expect(errorsAfter((d) => (d.edges[0] = ['kick', 'eq1']))[0]).toMatch(/edges\[0\]: must be an object with from and to/);
  });

  it('missing type, bad label, bad position, bad meta, bad name', () => {
    expect(errorsAfter((d) => delete d.nodes[1].type)[0]).toMatch(/nodes\[1\]\.type \(node "eq1"\): is required/);
    expect(errorsAfter((d) => (d.nodes[0].label = 'x'.repeat(201)))[0]).toMatch(/nodes\[0\]\.label \(node "kick"\): must be a string of at most 200 characters/);
    expect(errorsAfter((d) => (d.nodes[0].position = { x: 1 }))[0]).toMatch(/nodes\[0\]\.position\.y \(node "kick"\): is required/);
    expect(errorsAfter((d) => (d.meta = []))[0]).toMatch(/meta: must be an object/);
    expect(errorsAfter((d) => (d.meta.tags = ['a', 1]))[0]).toMatch(/meta\.tags\[1\]: must be a string/);
    expect(errorsAfter((d) => (d.meta.tags = 'a'))[0]).toMatch(/meta\.tags: must be a list of strings/);
    expect(errorsAfter((d) => (d.name = 5))[0]).toMatch(/name: must be a string/);
  });

  it('edge ends and ports', () => {
    expect(errorsAfter((d) => delete d.edges[0].from)[0]).toMatch(/edges\[0\]\.from: must be a node id/);
    expect(errorsAfter((d) => (d.edges[0].toPort = 3))[0]).toMatch(/edges\[0\]\.toPort: must be a port name/);
    expect(errorsAfter((d) => (d.edges[0].toPort = 'out'))[0]).toMatch(/edges\[0\]\.toPort \(node "eq1", port "out"\): "out" is an output/);
  });

  it('strings where numbers belong are rejected, not converted', () => {
    expect(errorsAfter((d) => (d.nodes[0].params.gain = '-6'))).toEqual(['mix.json: nodes[0].params.gain (node "kick"): must be a number from -60 to 12 dB, got "-6"']);
    expect(errorsAfter((d) => (d.nodes[1].params.bands[0].frequency = '80'))[0]).toMatch(/bands\[0\]\.frequency \(node "eq1"\): must be a number from 20 to 20000 Hz, got "80"/);
    expect(errorsAfter((d) => (d.nodes[0].position = { x: '0', y: 0 }))[0]).toMatch(/nodes\[0\]\.position/);
    expect(errorsAfter((d) => (d.nodes[2].bypass = 'false'))[0]).toMatch(/nodes\[2\]\.bypass \(node "comp"\): must be true or false/);
    expect(errorsAfter((d) => (d.nodes[0].params.mute = 'true'))[0]).toMatch(/nodes\[0\]\.params\.mute/);
  });

  it('a node id like "../../etc" is rejected by the id rule', () => {
    const problems = errorsAfter((d) => {
      d.nodes[3].id = '../../etc';
      d.edges[2].to = '../../etc';
      d.edges[3].from = '../../etc';
    });
    expect(problems[0]).toBe('mix.json: nodes[3].id: id "../../etc" must be 1-64 letters, digits, or _ . : - (not starting with . : -)');
    for (const id of ['', ' ', 'a/b', 'a\\b', 'x'.repeat(65), 'C:\\x', '.', '<script>']) {
      expect(errorsAfter((d) => (d.nodes[3].id = id))[0], id).toMatch(/nodes\[3\]\.id: id .* must be 1-64/);
    }
    expect(errorsAfter((d) => (d.nodes[3].id = 12))[0]).toMatch(/nodes\[3\]\.id: id 12 must be/);
  });

  it('duplicate ids, no master, a silent loop', () => {
    expect(errorsAfter((d) => (d.nodes[3].id = 'comp'))[0]).toMatch(/nodes\[3\]\.id \(node "comp"\): duplicate node id/);
    expect(errorsAfter((d) => d.nodes.pop())).toContain('mix.json: nodes: no master node: add one, and connect what should be heard to it');
    expect(errorsAfter((d) => d.edges.push({ from: 'comp', to: 'eq1' }))[0]).toMatch(/edges \(node "comp"\): feedback loop without a delay: comp -> eq1 -> comp/);
  });
});

describe('hostile input', () => {
  it('__proto__ and constructor keys do not pollute Object.prototype and are reported as unknown', () => {
    const src = EXAMPLE.replace('"name":"Demo mix"', '"name":"Demo mix","__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}}')
      .replace('"gain":-6,', '"gain":-6,"__proto__":{"polluted":"params"},"constructor":{"prototype":{"polluted":"p2"}},')
      .replace('{"id":"drums",', '{"__proto__":{"polluted":"node"},"constructor":1,"id":"drums",')
      .replace('{"from":"kick","to":"eq1"}', '{"from":"kick","to":"eq1","__proto__":{"polluted":"edge"}}')
      .replace('"q":0.707}', '"q":0.707,"__proto__":{"polluted":"band"}}');
    expect(src.match(/__proto__/g)).toHaveLength(5);
    const problems = errors(src);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(problems.join('\n')).toMatch(/^mix\.json: __proto__: unknown field/m);
    expect(problems.join('\n')).toMatch(/^mix\.json: constructor: unknown field/m);
    // Unknown fields do not stop the checks: the nodes' problems are reported with them.
    const nodes = errors(src.replace(',"__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}}', '')).join('\n');
    expect(nodes).toMatch(/nodes\[0\]\.params\.__proto__ \(node "kick"\): unknown parameter/);
    expect(nodes).toMatch(/nodes\[0\]\.params\.constructor \(node "kick"\): unknown parameter/);
    expect(nodes).toMatch(/nodes\[3\]\.__proto__ \(node "drums"\): unknown field/);
    expect(nodes).toMatch(/nodes\[3\]\.constructor \(node "drums"\): unknown field/);
    expect(nodes).toMatch(/edges\[0\]\.__proto__: unknown field/);
    expect(nodes).toMatch(/nodes\[1\]\.params\.bands\[0\]\.__proto__ \(node "eq1"\): unknown field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('prototype names as node types, params and ports are unknown, not inherited', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(errorsAfter((d) => (d.nodes[3].type = type))[0]).toMatch(/nodes\[3\]\.type \(node "drums"\): unknown node type/);
    }
    expect(errorsAfter((d) => (d.nodes[3].params = { toString: 1 }))[0]).toMatch(/nodes\[3\]\.params\.toString/);
    expect(errorsAfter((d) => (d.edges[0].toPort = '__proto__'))[0]).toMatch(/edges\[0\]\.toPort .*has no input "__proto__"/);
    expect(errorsAfter((d) => (d.edges[0].fromPort = 'constructor'))[0]).toMatch(/edges\[0\]\.fromPort .*has no output "constructor"/);
  });

  it('an id that happens to be "__proto__" is just an id', () => {
    const doc = example();
    doc.nodes[3].id = '__proto__';
    doc.edges[2].to = '__proto__';
    doc.edges[3].from = '__proto__';
    const loaded = loadSession(text(doc));
    expect(loaded.nodes[3].id).toBe('__proto__');
    expect(compile(loaded).ok).toBe(true);
    expect(loadSession(saveSession(loaded))).toEqual(loaded);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deep nesting: a clear error, not a stack overflow', () => {
    for (const src of ['['.repeat(10_000), '['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)]) {
      expect(errors(src)).toEqual([`mix.json: nested deeper than ${MAX_DEPTH} levels; this is not a Mixgraph file`]);
    }
    // Brackets inside strings (escaped quotes too) are not nesting.
    const doc = example();
    doc.name = '[[[[\\"{{{{'.repeat(100);
    expect(loadSession(text(doc)).name).toBe(doc.name);
  });

  it('a 9 MB file: a size error', () => {
    const doc = example();
    doc.name = 'x'.repeat(9_000_000);
    const problems = errors(text(doc));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^mix\.json: \d+ bytes is larger than the 8 MiB limit/);
    expect(MAX_BYTES).toBe(8 * 1024 * 1024);
  });

  it('20,000 nodes: a limit error', () => {
    const doc = example();
    doc.nodes = Array.from({ length: 20_000 }, (_, i) => ({ id: `g${i}`, type: 'gain' }));
    doc.edges = [];
    expect(errors(JSON.stringify(doc))).toEqual([`mix.json: nodes: 20000 nodes; at most ${MAX_NODES}`]);
  });

  it('too many edges: a limit error', () => {
    const doc = example();
    doc.edges = Array.from({ length: 50_001 }, () => ({ from: 'a', to: 'b' }));
    expect(errors(JSON.stringify(doc))).toEqual(['mix.json: edges: 50001 edges; at most 50000']);
  });
});

describe('the frozen version 1 fixture', () => {
  // tests/presets/fixtures/v1-session.json must never be edited: it is what version 1 files
  // look like, and every later Mixgraph must still open it (through migrations once v2 exists).
  const source = readFileSync(new URL('./fixtures/v1-session.json', import.meta.url), 'utf8');

  it('is a version 1 file', () => {
    const raw = JSON.parse(source);
    expect(raw).toMatchObject({ format: 'mixgraph', version: 1, kind: 'session' });
    expect(raw.nodes).toHaveLength(15);
  });

  it('loads, fills and compiles', () => {
    const doc = loadSession(source, 'v1-session.json');
    expect(doc.version).toBe(FORMAT_VERSION);
    expect(doc.nodes.map((n) => n.id)).toEqual(['kick', 'eq1', 'comp', 'drums', 'master', 'bass', 'duck', 'vox', 'vsend', 'plate', 'echo', 'tone', 'warm', 'trim', 'width']);
    expect(doc.nodes.find((n) => n.id === 'duck')!.params).toEqual({ threshold: -30, ratio: 8, knee: 6, attack: 1, release: 120, makeup: 0 });
    expect(doc.nodes.find((n) => n.id === 'bass')!.params).toEqual({ source: 'stems/bass.wav', gain: 0, pan: -0.2, mute: false, solo: false, invert: false, offset: 12.5, category: 'bass', color: '#3a7bd5' });
    expect(doc.nodes.find((n) => n.id === 'echo')!.bypass).toBe(true);
    expect(doc.edges).toContainEqual({ from: 'kick', fromPort: 'out', to: 'duck', toPort: 'sidechain' });
    expect(doc.edges).toContainEqual({ from: 'vsend', fromPort: 'send', to: 'plate', toPort: 'in' });
    const compiled = compile(doc);
    expect(compiled.ok).toBe(true);
  });

  it('its first five nodes are the documented example', () => {
    const doc = loadSession(source);
    const ex = loadSession(EXAMPLE);
    expect(doc.nodes.slice(0, 5)).toEqual(ex.nodes);
    expect(doc.edges.slice(0, 4)).toEqual(ex.edges);
  });

  it('round-trips through save', () => {
    const doc = loadSession(source);
    expect(loadSession(saveSession(doc))).toStrictEqual(doc);
  });
});

describe('meta is checked like the rest of the file', () => {
  it('reports unknown meta fields and non-string author or description', () => {
    const text = JSON.stringify({
      format: 'mixgraph',
      version: 1,
      kind: 'session',
      meta: { author: 7, description: 'ok', tags: ['a'], licence: 'x' },
      nodes: [{ id: 'master', type: 'master' }],
      edges: [],
    });
    expect(() => loadSession(text, 's.json')).toThrow(/meta\.licence: unknown field[\s\S]*meta\.author: must be a string|meta\.author: must be a string[\s\S]*meta\.licence: unknown field/);
  });
});
