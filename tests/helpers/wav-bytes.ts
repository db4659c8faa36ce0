// Hand-built WAV files (any header, right or wrong) and a catalogue of files Mixgraph must refuse or
// accept, shared by the reader's unit tests, the CLI tests and the editor's browser test: the same
// file must get the same answer everywhere.

export interface WavSpec {
  tag?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  blockAlign?: number;
  /** Raw sample bytes. */
  data?: Uint8Array;
  /** The data chunk's size field (default: data.length). */
  dataSize?: number;
  /** Chunks before fmt / between fmt and data / after data. */
  before?: Uint8Array[];
  between?: Uint8Array[];
  after?: Uint8Array[];
  /** Size of the fmt chunk (16, 18 or 40 for extensible; default 16). */
  fmtSize?: number;
  /** For extensible: the SubFormat tag (first two GUID bytes). */
  subFormat?: number;
  omitFmt?: boolean;
  omitData?: boolean;
  container?: 'RIFF' | 'RF64';
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const le32 = (v: number) => Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
const le16 = (v: number) => Uint8Array.of(v & 255, (v >>> 8) & 255);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function chunk(id: string, body: Uint8Array, size = body.length): Uint8Array {
  return concat([ascii(id), le32(size), body, body.length & 1 ? new Uint8Array(1) : new Uint8Array(0)]);
}

export function wavBytes(spec: WavSpec = {}): Uint8Array {
  const channels = spec.channels ?? 1;
  const bits = spec.bits ?? 16;
  const rate = spec.rate ?? 48000;
  const blockAlign = spec.blockAlign ?? channels * Math.ceil(bits / 8);
  const data = spec.data ?? new Uint8Array(blockAlign * 100);
  const fmtSize = spec.fmtSize ?? 16;
  const fmt = new Uint8Array(Math.max(40, fmtSize));
  fmt.set(le16(spec.tag ?? 1), 0);
  fmt.set(le16(channels), 2);
  fmt.set(le32(rate), 4);
  fmt.set(le32((rate * blockAlign) >>> 0), 8);
  fmt.set(le16(blockAlign), 12);
  fmt.set(le16(bits), 14);
  if (fmtSize >= 18) fmt.set(le16(fmtSize - 18), 16);
  if (fmtSize >= 40) {
    fmt.set(le16(bits), 18); // valid bits
    fmt.set(le32(channels === 2 ? 3 : 4), 20); // channel mask
    fmt.set(le16(spec.subFormat ?? 1), 24);
    fmt.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  }
  const rf64 = spec.container === 'RF64';
  const parts = [
    ...(rf64 ? [chunk('ds64', concat([le32(0), le32(0), le32(data.length), le32(0), le32(0), le32(0), le32(0)]))] : []),
    ...(spec.before ?? []),
    ...(spec.omitFmt ? [] : [chunk('fmt ', fmt.subarray(0, fmtSize))]),
    ...(spec.between ?? []),
    ...(spec.omitData ? [] : [chunk('data', data, rf64 ? 0xffffffff : (spec.dataSize ?? data.length))]),
    ...(spec.after ?? []),
  ];
  const body = concat(parts);
  return concat([ascii(rf64 ? 'RF64' : 'RIFF'), le32(rf64 ? 0xffffffff : body.length + 4), ascii('WAVE'), body]);
}

/** 16-bit mono PCM bytes of a sine: `frames` long, peak `amp`. */
export function pcm16(frames: number, amp = 0.5, rate = 48000, frequency = 440): Uint8Array {
  const out = new Uint8Array(frames * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < frames; i++) view.setInt16(i * 2, Math.round(amp * 32767 * Math.sin((2 * Math.PI * frequency * i) / rate)), true);
  return out;
}

/** 32-bit float mono bytes from samples (NaN and Infinity included as given). */
export function float32(samples: number[]): Uint8Array {
  const out = new Uint8Array(samples.length * 4);
  const view = new DataView(out.buffer);
  samples.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

const sine = (n: number) => Array.from({ length: n }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 440 * i) / 48000));

/** Files every reader must refuse, with the words the refusal must contain. */
export const REFUSED: { name: string; bytes: Uint8Array; reason: RegExp }[] = [
  { name: 'rate-4e9.wav', bytes: wavBytes({ rate: 4_000_000_000, data: pcm16(4800) }), reason: /the WAV header says 4000000000 Hz; Mixgraph reads 8000 to 192000 Hz/ },
  { name: 'rate-100.wav', bytes: wavBytes({ rate: 100, data: pcm16(4800) }), reason: /the WAV header says 100 Hz; Mixgraph reads 8000 to 192000 Hz/ },
  { name: 'no-channels.wav', bytes: wavBytes({ channels: 0, blockAlign: 2, data: pcm16(4800) }), reason: /the WAV header says 0 channels; Mixgraph reads 1 to 8/ },
  { name: 'many-channels.wav', bytes: wavBytes({ channels: 65535, blockAlign: 2, data: pcm16(4800) }), reason: /the WAV header says 65535 channels; Mixgraph reads 1 to 8/ },
  { name: 'misaligned.wav', bytes: wavBytes({ channels: 2, blockAlign: 3, data: pcm16(4800) }), reason: /block alignment \(3 bytes\) does not fit 2 channels/ },
  { name: 'short-fmt.wav', bytes: wavBytes({ fmtSize: 12, data: pcm16(4800) }), reason: /the WAV fmt chunk is 12 bytes; it must be at least 16/ },
  { name: 'no-fmt.wav', bytes: wavBytes({ omitFmt: true, data: pcm16(4800) }), reason: /the WAV file has no fmt chunk/ },
  { name: 'no-data.wav', bytes: wavBytes({ omitData: true }), reason: /the WAV file has no data chunk/ },
  { name: 'empty-data.wav', bytes: wavBytes({ data: new Uint8Array(0) }), reason: /it holds no audio \(the data chunk is empty\)/ },
  { name: 'adpcm.wav', bytes: wavBytes({ tag: 2, bits: 4, blockAlign: 256, data: new Uint8Array(2560) }), reason: /unsupported WAV encoding \(format tag 2\)/ },
  { name: 'nan.wav', bytes: wavBytes({ tag: 3, bits: 32, data: float32([...sine(2400), NaN, NaN, Infinity, ...sine(2400)]) }), reason: /it holds 3 samples that are not a number \(NaN or infinite\), the first at 0\.050 s/ },
  { name: 'text.wav', bytes: new TextEncoder().encode('{"format": "mixgraph", "kind": "session"}\n'), reason: /it looks like text, not audio; Mixgraph reads WAV, FLAC, MP3 and OGG/ },
  { name: 'song.m4a', bytes: concat([le32(24), ascii('ftypM4A '), new Uint8Array(64)]), reason: /it is an MP4\/M4A\/AAC file; Mixgraph reads WAV, FLAC, MP3 and OGG: convert it first/ },
  { name: 'noise.bin', bytes: Uint8Array.from({ length: 4096 }, (_, i) => ((i * 7919) % 251) + 1), reason: /not an audio format Mixgraph recognises/ },
  { name: 'empty.wav', bytes: new Uint8Array(0), reason: /the file is empty/ },
];

/** A 0.6 s file whose data chunk promises 1 s: read, with a warning (long enough to have a loudness). */
export const TRUNCATED = { name: 'cut.wav', bytes: wavBytes({ data: pcm16(28800), dataSize: 96000 }), warning: /the file is cut short: its header promises 1\.000 s, it holds 0\.600 s/ };
