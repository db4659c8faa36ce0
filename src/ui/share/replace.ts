// A shared session taking the open one's place as one undo step (Undo brings the old one back).
import type { Draft } from 'immer';
import type { Command } from '../../model/commands.ts';
import type { SessionDoc } from '../../model/document.ts';

export function replaceSession(next: SessionDoc, label = `Open shared “${next.name}”`): Command {
  return {
    label,
    run(d: Draft<SessionDoc>) {
      const target = d as unknown as Record<string, unknown>;
      const source = next as unknown as Record<string, unknown>;
      for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
      for (const [key, value] of Object.entries(source)) target[key] = structuredClone(value);
    },
  };
}
