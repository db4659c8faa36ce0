// The header's mixing tools: Level tracks…, Align to…, Mix check… and Gain staging… (each opens its dialog).
import { useCallback, useState } from 'react';
import { AlignDialog } from './AlignDialog.tsx';
import { LevelDialog } from './LevelDialog.tsx';
import { MixCheckPanel } from './MixCheckPanel.tsx';
import { GainStagingPanel } from './GainStagingPanel.tsx';
import './mixing.css';

export function MixingBar() {
  const [open, setOpen] = useState<null | 'level' | 'align' | 'check' | 'staging'>(null);
  const close = useCallback(() => setOpen(null), []);
  return (
    <div className="toolbar mixing-bar" role="toolbar" aria-label="Mixing">
      <button type="button" aria-haspopup="dialog" aria-expanded={open === 'level'} onClick={() => setOpen(open === 'level' ? null : 'level')} title="Set every track's fader to one loudness target">
        Level tracks…
      </button>
      <button type="button" aria-haspopup="dialog" aria-expanded={open === 'align'} onClick={() => setOpen(open === 'align' ? null : 'align')} title="Line every track up in time and polarity with a reference track">
        Align to…
      </button>
      <button type="button" aria-haspopup="dialog" aria-expanded={open === 'check'} onClick={() => setOpen(open === 'check' ? null : 'check')} title="What dominates, what masks what, where the vocal sits: findings with their fixes">
        Mix check…
      </button>
      <button type="button" aria-haspopup="dialog" aria-expanded={open === 'staging'} onClick={() => setOpen(open === 'staging' ? null : 'staging')} title="While playing: where the level runs too hot or too cold, with the fix">
        Gain staging…
      </button>
      {open === 'level' && <LevelDialog onClose={close} />}
      {open === 'staging' && <GainStagingPanel onClose={close} />}
      {open === 'check' && <MixCheckPanel onClose={close} />}
      {open === 'align' && <AlignDialog onClose={close} />}
    </div>
  );
}
