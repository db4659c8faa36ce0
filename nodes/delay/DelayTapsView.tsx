import type { Params } from '../define.ts';

const W = 320;
const H = 120;
const TOP = 12;
const BASE = H - 20;
/** Echoes below this (-60 dB of the first) are not drawn: the definition's tail ends there too. */
const FLOOR = 0.001;
const MAX_TAPS = 40;

/**
 * The delay's impulse response from its params: the dry sound at 0 (scaled by 1 - mix), then an echo
 * every `time` ms, the first at `mix`, each next one `feedback` times the one before, as the echo core
 * (src/dsp/delay.ts) makes them. Heights are linear amplitude, so the decay reads as it sounds.
 */
export function DelayTapsView({ params }: { params: Params }) {
  const time = params.time as number;
  const feedback = params.feedback as number;
  const mix = params.mix as number;
  const taps: { t: number; a: number }[] = [];
  if (time > 0) {
    for (let k = 1, a = mix; k <= MAX_TAPS && a >= FLOOR * Math.max(mix, 1e-9); k++, a *= feedback) {
      taps.push({ t: k * time, a });
      if (feedback <= 0) break;
    }
  }
  // The time axis runs to the echo that has fallen to 5 % of the first (smaller ones would be lines of
  // no height), at least four echo times; the ticks stand at the echoes themselves.
  const audible = taps.filter((p) => p.a >= 0.05 * mix);
  const span = Math.max(time * 4, audible.length ? audible[audible.length - 1].t + time / 2 : 0) || 1;
  const drawn = taps.filter((p) => p.t <= span);
  const x = (t: number) => 10 + (t / span) * (W - 24);
  const y = (a: number) => BASE - Math.min(1, a) * (BASE - TOP);
  const echoes = drawn.map((p) => `M${x(p.t).toFixed(1)} ${BASE}V${y(p.a).toFixed(1)}`).join('');
  const envelope = drawn.length > 1 ? `M${drawn.map((p) => `${x(p.t).toFixed(1)} ${y(p.a).toFixed(1)}`).join('L')}` : '';
  const every = Math.max(1, Math.ceil(drawn.length / 5));
  const ticks = [0, ...drawn.filter((_, i) => (i + 1) % every === 0).map((p) => p.t)];
  const label =
    time > 0
      ? `Delay taps: the dry sound at ${Math.round((1 - mix) * 100)} %, then an echo every ${Math.round(time)} ms, the first at ${Math.round(mix * 100)} %, each ${feedback.toFixed(2)} times the one before (${taps.length} until -60 dB)`
      : 'Delay taps: time 0 ms, the echo falls on the dry sound';
  return (
    <svg className="delay-taps" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <line x1={0} x2={W} y1={BASE} y2={BASE} className="grid" />
      {ticks.map((t) => (
        <text key={t} x={x(t)} y={H - 5} textAnchor={t === 0 ? 'start' : 'middle'} className="tick">
          {t >= 1000 ? `${+(t / 1000).toFixed(2)} s` : `${Math.round(t)} ms`}
        </text>
      ))}
      <path d={`M${x(0)} ${BASE}V${y(1 - mix)}`} className="dry" />
      <text x={x(0) + 6} y={y(1 - mix) + 10} className="tick">
        dry
      </text>
      {drawn[0] && (
        <text x={x(drawn[0].t) + 6} y={y(drawn[0].a) + 10} className="tick">
          echoes
        </text>
      )}
      {envelope && <path d={envelope} className="envelope" />}
      <path d={echoes} className="echoes" />
    </svg>
  );
}
