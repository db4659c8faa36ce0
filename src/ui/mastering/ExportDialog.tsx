import './mastering.css';
import { useEffect, useId, useRef, useState } from 'react';
import { ExportCancelled } from '../../engine/export.ts';
import { formatIsrc, parseIsrc } from '../../io/isrc.ts';
import { encodeWav, type WavFormat } from '../../io/wav.ts';
import { useServices } from '../context.ts';
import { measureOffThread } from './analysis.ts';
import { Dialog } from './Dialog.tsx';
import { download } from '../download.ts';

export const EXPORT_FORMATS: { value: WavFormat; label: string }[] = [
  { value: '16', label: '16-bit PCM (TPDF dither)' },
  { value: '24', label: '24-bit PCM' },
  { value: '32f', label: '32-bit float' },
];
export const EXPORT_RATES = [44100, 48000] as const;

export interface ExportSettings {
  sampleRate: (typeof EXPORT_RATES)[number];
  format: WavFormat;
  title: string;
  artist: string;
  album: string;
  isrc: string;
}

/** The last settings, kept for the next export in this page (the title follows the session). */
let remembered: Omit<ExportSettings, 'title'> = { sampleRate: 48000, format: '24', artist: '', album: '', isrc: '' };

export const fileNameFor = (title: string) => `${title.trim().replace(/[^\w.-]+/g, '_') || 'mix'}.wav`;

export interface ExportDialogProps {
  onClose(): void;
  /** Render progress, 0..1, while the export runs; null when it ends. */
  onProgress(fraction: number | null): void;
}

/**
 * Export WAV: the session rendered offline (as the CLI's `render`, latency compensated) at 44.1 or
 * 48 kHz, 16-bit with TPDF dither, 24-bit or 32-bit float, with title, artist, album and ISRC written
 * into the file (LIST/INFO and ID3, see src/io/metadata.ts). An ISRC that does not parse is shown
 * and blocks the export; the notice after it gives the file's loudness and true peak. The render
 * runs in a Web Worker (the runtime, as the CLI renders): a progress bar shows how far it is, and
 * Cancel stops the worker at once (no file, nothing left running).
 */
export function ExportDialog({ onClose, onProgress }: ExportDialogProps) {
  const { store, audio } = useServices();
  const isrcHelp = useId();
  const [s, setS] = useState<ExportSettings>(() => ({ ...remembered, title: store.getState().doc.name }));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0);
  const running = useRef<AbortController | null>(null);
  // Closing the dialog any other way (the page navigates, a story unmounts) stops the render too.
  useEffect(() => () => running.current?.abort(), []);
  const isrc = s.isrc.trim() === '' ? null : parseIsrc(s.isrc);
  const isrcProblem = isrc && !isrc.ok ? isrc.message : null;
  const set = <K extends keyof ExportSettings>(key: K, value: ExportSettings[K]) => setS((prev) => ({ ...prev, [key]: value }));


  const run = async () => {
    if (isrcProblem) return;
    const { title, ...rest } = s;
    remembered = rest;
    setBusy(true);
    setDone(0);
    onProgress(0);
    const controller = new AbortController();
    running.current = controller;
    const progress = (fraction: number) => {
      setDone(fraction);
      onProgress(fraction);
    };
    try {
      const doc = store.getState().doc;
      const channels = await audio.render(doc, progress, s.sampleRate, controller.signal);
      const metadata = {
        title: title.trim() || undefined,
        artist: s.artist.trim() || undefined,
        album: s.album.trim() || undefined,
        isrc: isrc?.ok ? isrc.isrc : undefined,
        software: 'Mixgraph',
      };
      const wav = encodeWav(channels, s.sampleRate, s.format, { metadata });
      const name = fileNameFor(title || doc.name);
      download(new Blob([wav.buffer as ArrayBuffer], { type: 'audio/wav' }), name);
      const r = (await measureOffThread(channels, s.sampleRate, true)).loudness; // channels are not needed after this
      const loudness = Number.isFinite(r.integrated) ? `${r.integrated.toFixed(1)} LUFS` : 'silent';
      const tp = Number.isFinite(r.truePeak) ? `, true peak ${r.truePeak.toFixed(1)} dBTP` : '';
      store.notify('info', `Exported ${name} (${s.sampleRate / 1000} kHz, ${EXPORT_FORMATS.find((f) => f.value === s.format)!.label}): ${loudness}${tp}${metadata.isrc ? `, ISRC ${formatIsrc(metadata.isrc)}` : ''}`);
      onClose();
    } catch (err) {
      if (err instanceof ExportCancelled) store.notify('info', 'Export cancelled: no file was written');
      else store.notify('error', `Export failed: ${(err as Error).message}`);
    } finally {
      if (running.current === controller) running.current = null;
      setBusy(false);
      onProgress(null);
    }
  };
  const cancel = () => {
    if (running.current) running.current.abort();
    else onClose();
  };

  return (
    <Dialog title="Export WAV" className="export-dialog" closeLabel="Close export dialog" onClose={onClose} busy={busy}>
      <label className="chain-field">
        <span>Sample rate</span>
        <select value={s.sampleRate} onChange={(e) => set('sampleRate', Number(e.target.value) as ExportSettings['sampleRate'])}>
          {EXPORT_RATES.map((r) => (
            <option key={r} value={r}>
              {r / 1000} kHz
            </option>
          ))}
        </select>
      </label>
      <label className="chain-field">
        <span>Format</span>
        <select value={s.format} onChange={(e) => set('format', e.target.value as WavFormat)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <h3>Written into the file</h3>
      {(['title', 'artist', 'album'] as const).map((key) => (
        <label key={key} className="chain-field">
          <span>{key[0].toUpperCase() + key.slice(1)}</span>
          <input type="text" value={s[key]} maxLength={200} onChange={(e) => set(key, e.target.value)} />
        </label>
      ))}
      <label className="chain-field">
        <span>ISRC</span>
        <input
          type="text"
          value={s.isrc}
          placeholder="CC-XXX-YY-NNNNN"
          maxLength={20}
          aria-invalid={isrcProblem ? true : undefined}
          aria-describedby={isrcHelp}
          onChange={(e) => set('isrc', e.target.value)}
        />
      </label>
      <p id={isrcHelp} className={isrcProblem ? 'export-problem' : 'mastering-note'} role={isrcProblem ? 'alert' : undefined}>
        {isrcProblem ?? 'Optional. 12 characters: country, registrant, year, designation (e.g. GB-AYE-24-00001).'}
      </p>
      {busy && (
        <p className="export-progress">
          <progress aria-label="Rendering" max={1} value={done} />
          <span aria-live="polite">{Math.floor(done * 100)} %</span>
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={cancel} title={busy ? 'Stop the render: no file is written' : undefined}>
          Cancel
        </button>
        <button type="button" onClick={() => void run()} disabled={busy || isrcProblem !== null}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
    </Dialog>
  );
}
