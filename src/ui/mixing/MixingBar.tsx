// The header's mixing tools: Level tracks…, Align to… (and the analyses' panels).
import { useCallback, useState } from 'react';
import { AlignDialog } from './AlignDialog.tsx';
import { LevelDialog } from './LevelDialog.tsx';
import './mixing.css';

export function MixingBar() {
  const [open, setOpen] = useState<null | 'level' | 'align'>(null);
  const close = useCallback(() => setOpen(null), []);
  return (
    <div className="toolbar mixing-bar" role="toolbar" aria-label="Mixing">
      <button type="button" aria-haspopup="dialog" aria-expanded={open === 'level'} onClick={() => setOpen(open === 'level' ? null : 'level')} title="Set every track's fader to one loudness target">
        Level tracks…
      </button>
      <button type="button" aria-haspopup="dialog" aria-expanded={open === 'align'} onClick={() => setOpen(open === 'align' ? null : 'align')} title="Line every track up in time and polarity with a reference track">
        Align to…
      </button>
      {open === 'level' && <LevelDialog onClose={close} />}
      {open === 'align' && <AlignDialog onClose={close} />}
    </div>
  );
}
