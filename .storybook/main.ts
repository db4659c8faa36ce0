// Storybook for the editor's components. Runs fully offline: no telemetry, no update check
// (`--no-version-updates` in the npm scripts), no addons beyond what Storybook 10 ships.
//
// The Vite builder loads the project's vite.config.ts by itself, so the stories get the same
// React plugin and the `virtual:mixgraph-runtime` plugin (the runtime's worklet) that src/ui/audio.ts imports.
import type { StorybookConfig } from '@storybook/react-vite';
import { syncNodeStories } from '../stories/nodes/generate.ts';
import { syncPresetStories } from '../stories/presets/generate.ts';

// One story file per node type, generated from nodes/registry.ts: a new type gets its stories on
// the next `npm run storybook` / `npm run build-storybook` (unchanged files are not rewritten).
syncNodeStories({ log: (line) => console.log(`[mixgraph] ${line}`) });
// And one per built-in preset in presets/ (chains, node presets, templates).
syncPresetStories({ log: (line) => console.log(`[mixgraph] ${line}`) });

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: [],
  core: {
    disableTelemetry: true,
    enableCrashReports: false,
    disableWhatsNewNotifications: true,
  },
  // The onboarding checklist links to storybook.js.org; nothing here needs it.
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
  async viteFinal(config) {
    // The app's dev-server port (5173, strict) means nothing to Storybook's own server and must
    // not clash with `vite` running next to it.
    if (config.server) {
      delete config.server.port;
      delete config.server.strictPort;
    }
    delete config.preview;
    // The preview bundle holds React, React Flow, the compiler and the worklet source (~1.5 MB).
    config.build = { ...config.build, chunkSizeWarningLimit: 4096 };
    return config;
  },
};

export default config;
