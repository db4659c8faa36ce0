// The editor's services, handed down once instead of through every prop.
import { createContext, useContext } from 'react';
import type { LiveAudio } from './audio.ts';
import type { SessionKeeper } from './persist/keeper.ts';
import type { EditorStore } from './store.ts';

export interface Services {
  store: EditorStore;
  audio: LiveAudio;
  /** Autosave and the stored sessions; absent where nothing is kept (Storybook). */
  keeper?: SessionKeeper;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside <ServicesContext.Provider>');
  return s;
}
