// Cable solo in the runtime (Runtime.monitorPorts): the speakers play one output port's samples
// instead of the master, at unity, crossfaded, and the master again when it ends. Rendered block by
// block through the Runtime, against the runtime's own port buses and a second runtime without it.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/compiler/plan.ts';
import { groupNodes } from '../../src/model/groups.ts';
import { History } from '../../src/model/history.ts';
import { cablePorts } from '../../src/model/cable.ts';
import { Runtime } from '../../src/runtime/runtime.ts';
import { edge, node, planOf, session } from '../helpers/audio.ts';

const SR = 48000;
const BLOCK = 128;
/**
 * Blocks until a crossfade has landed exactly (the runtime's ramps settle within 1e-9, 21 time
 * constants of 5 ms: 40 blocks); the audible part is over in the first 5 or so.
 */
const FADE = 45;

/**
 * Two sources on different paths: a 1 kHz sine at -18 dBFS through an EQ boosting 6 dB at 1 kHz and
 * a send (-12 dB to a reverb), and a 200 Hz sine at -24 dBFS, into a bus and a master at -10 dB.
 */
function mix() {
  return session(
    [
      node('tone', 'generator', { frequency: 1000, level: -18 }),
      node('eq', 'eq', { bands: [{ type: 'peaking', frequency: 1000, gain: 6, q: 1 }] }),
      node('snd', 'send', { level: -12 }),
      node('verb', 'reverb', { decay: 0.5, mix: 1 }),
      node('low', 'generator', { frequency: 200, level: -24 }),
      node('bus', 'bus'),
      node('m', 'master', { gain: -10 }),
    ],
    [edge('tone', 'eq'), edge('eq', 'snd'), edge('snd.out', 'bus'), edge('snd.send', 'verb'), edge('verb', 'bus'), edge('low', 'bus'), edge('bus', 'm')],
  );
}

/** A runtime playing `plan` from 0, and its output blocks. */
function player(plan: Plan) {
  const rt = new Runtime({ sampleRate: SR });
  rt.update(plan);
  rt.start(0);
  const out = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  return { rt, out, block: () => rt.process(out) };
}

const rmsDb = (x: Float32Array[]) => {
  let s = 0;
  let n = 0;
  for (const b of x) for (const v of b) (s += v * v), n++;
  return 10 * Math.log10(s / n);
};

/** `blocks` blocks of the left channel, and for each block whether out equals the port's bus. */
function run(p: ReturnType<typeof player>, blocks: number, port?: { id: string; port: string }) {
  const left: Float32Array[] = [];
  let equal = 0;
  for (let b = 0; b < blocks; b++) {
    p.block();
    left.push(p.out[0].slice());
    if (port) {
      const bus = p.rt.outputBus(port.id, port.port);
      const r = bus.channels > 1 ? bus.data[1] : bus.data[0];
      if (p.out[0].every((v, i) => v === bus.data[0][i]) && p.out[1].every((v, i) => v === r[i])) equal++;
    }
  }
  return { left, equal };
}

describe('the runtime port monitor (cable solo)', () => {
  it('plays a port exactly, at unity: before the EQ boost it is 6 dB under after it; the master comes back to the bit', () => {
    const plan = planOf(mix());
    const solo = player(plan);
    const plain = player(plan);
    run(solo, 40);
    run(plain, 40);

    solo.rt.monitorPorts([{ id: 'tone', port: 'out' }]);
    expect(solo.rt.monitoredPorts).toEqual([{ id: 'tone', port: 'out' }]);
    run(plain, FADE);
    run(solo, FADE); // the crossfade, settled
    const before = run(solo, 100, { id: 'tone', port: 'out' });
    run(plain, 100);
    // Every block is the generator's own samples, on both speakers (a mono port), at unity: the
    // master's -10 dB and the other generator are not in it.
    expect(before.equal).toBe(100);
    expect(rmsDb(before.left)).toBeCloseTo(-18 - 3.0103, 1);

    solo.rt.monitorPorts([{ id: 'eq', port: 'out' }]);
    run(solo, FADE);
    run(plain, FADE);
    const after = run(solo, 100, { id: 'eq', port: 'out' });
    run(plain, 100);
    expect(after.equal).toBe(100);
    expect(rmsDb(after.left) - rmsDb(before.left)).toBeCloseTo(6, 1);

    // A send's aux output: its level-scaled copy, 12 dB under its input.
    solo.rt.monitorPorts([{ id: 'snd', port: 'send' }]);
    run(solo, FADE);
    run(plain, FADE);
    const sent = run(solo, 100, { id: 'snd', port: 'send' });
    run(plain, 100);
    expect(sent.equal).toBe(100);
    expect(rmsDb(sent.left) - rmsDb(after.left)).toBeCloseTo(-12, 1);

    // Back to the mix: once the fade is over, the master to the bit (against a runtime never soloed).
    solo.rt.monitorPorts(null);
    expect(solo.rt.monitoredPorts).toBeNull();
    run(solo, FADE);
    run(plain, FADE);
    for (let b = 0; b < 50; b++) {
      solo.block();
      plain.block();
      expect(solo.out[0]).toEqual(plain.out[0]);
      expect(solo.out[1]).toEqual(plain.out[1]);
    }
    expect(rmsDb([plain.out[0]])).toBeLessThan(-20); // the master's -10 dB is back
  });

  it('switches without a click: no sample-to-sample step larger than the signals make themselves', () => {
    const p = player(planOf(mix()));
    run(p, 40);
    // The largest step of the mix and of the boosted tone on their own (a 1 kHz sine at -12 dBFS
    // moves 0.033 a sample at most); a hard switch between them would jump by up to 0.3.
    const steps = (blocks: Float32Array[], prev: number) => {
      let worst = 0;
      for (const b of blocks)
        for (const v of b) {
          worst = Math.max(worst, Math.abs(v - prev));
          prev = v;
        }
      return worst;
    };
    const last = () => p.out[0][BLOCK - 1];
    const mixOnly = steps(run(p, 20).left, last());
    let prev = last();
    p.rt.monitorPorts([{ id: 'eq', port: 'out' }]);
    const into = steps(run(p, 20).left, prev);
    prev = last();
    p.rt.monitorPorts([{ id: 'low', port: 'out' }]);
    const across = steps(run(p, 20).left, prev);
    prev = last();
    p.rt.monitorPorts(null);
    const back = steps(run(p, 20).left, prev);
    const tone = 10 ** (-12 / 20) * 2 * Math.sin(Math.PI * 1000 / SR);
    for (const s of [into, across, back]) expect(s).toBeLessThan(1.2 * Math.max(tone, mixOnly));
  });

  it('ends by itself when its node goes (recompiled without it), and says so', () => {
    const doc = mix();
    const p = player(planOf(doc));
    run(p, 10);
    p.rt.monitorPorts([{ id: 'low', port: 'out' }]);
    run(p, 30, { id: 'low', port: 'out' });
    expect(p.rt.monitorEnded).toBe(0);
    const without = session(doc.nodes.filter((n) => n.id !== 'low'), doc.edges.filter((e) => e.from !== 'low'));
    p.rt.update(planOf(without));
    p.block();
    expect(p.rt.monitoredPorts).toBeNull();
    expect(p.rt.monitorEnded).toBe(1);
    // and the master returns (once faded in), as a runtime playing that graph from the same frame plays it
    const plain = player(planOf(without));
    run(plain, 41);
    run(p, FADE);
    run(plain, FADE);
    for (let b = 0; b < 10; b++) {
      p.block();
      plain.block();
      expect(p.out[0]).toEqual(plain.out[0]);
    }
    // A port that is not there ends at the next block too.
    p.rt.monitorPorts([{ id: 'nothing', port: 'out' }]);
    p.block();
    expect(p.rt.monitoredPorts).toBeNull();
    expect(p.rt.monitorEnded).toBe(2);
  });

  it('inside a group: the cable resolves to the inner node by its path and plays it', () => {
    const h = new History(mix());
    h.run(groupNodes(['eq', 'snd'], { id: 'chain' }));
    const body = h.doc.nodes.find((n) => n.id === 'chain')!.group!;
    const inner = body.edges.find((e) => e.from === 'eq')!;
    // A cable inside the group, and the group's output cable on the top level: both the EQ or the send.
    expect(cablePorts(h.doc, { scope: 'chain', edge: inner })).toEqual([{ id: 'chain/eq', port: 'out' }]);
    const outOfGroup = h.doc.edges.find((e) => e.from === 'chain' && e.to === 'bus')!;
    expect(cablePorts(h.doc, { scope: '', edge: outOfGroup })).toEqual([{ id: 'chain/snd', port: 'out' }]);
    const p = player(planOf(h.doc));
    run(p, 10);
    p.rt.monitorPorts(cablePorts(h.doc, { scope: 'chain', edge: inner })!);
    run(p, FADE);
    expect(run(p, 50, { id: 'chain/eq', port: 'out' }).equal).toBe(50);
  });

  it('allocates nothing per block while it plays (heap growth under 32 KB over 10,000 blocks, no GC; the runtime alone grows by about 2.5 KB)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const p = player(planOf(mix()));
    // Warm up (the JIT settles) through fades both ways and a monitor of two ports, then steady
    for (let k = 0; k < 10; k++) {
      p.rt.monitorPorts(k % 2 ? null : [{ id: 'tone', port: 'out' }, { id: 'low', port: 'out' }]);
      for (let b = 0; b < 1000; b++) p.block();
    }
    p.rt.monitorPorts([{ id: 'eq', port: 'out' }, { id: 'low', port: 'out' }]);
    for (let b = 0; b < 20000; b++) p.block();
    let collections = 0;
    const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
    observer.observe({ entryTypes: ['gc'] });
    const used = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    const before = used();
    for (let b = 0; b < 10000; b++) p.block();
    const grown = used() - before;
    await new Promise((resolve) => setTimeout(resolve, 10));
    observer.disconnect();
    if (process.env.AUDIO_REPORT) console.log(`[measured] port monitor: heap growth over 10000 blocks ${grown} bytes, ${collections} GCs`);
    expect(grown).toBeLessThan(32 * 1024);
    expect(collections).toBe(0);
    expect(p.out[0].some((v) => v !== 0)).toBe(true);
  });
});
