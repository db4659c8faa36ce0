import '@xyflow/react/dist/style.css';
import '../src/ui/styles.css';
import '../stories/stories.css';
import type { Decorator, Preview } from '@storybook/react-vite';
import { ServicesHost, type MixgraphParameters } from '../stories/harness.tsx';

/** Every story gets the editor's services (EditorStore + LiveAudio) and a ReactFlowProvider. */
const withServices: Decorator = (Story, context) => (
  <ServicesHost storyId={context.id} parameters={context.parameters.mixgraph as MixgraphParameters | undefined} args={context.args}>
    <Story />
  </ServicesHost>
);

const preview: Preview = {
  decorators: [withServices],
  parameters: {
    layout: 'padded',
    // The editor is dark (styles.css paints :root); keep Storybook's background out of the way.
    backgrounds: { disable: true },
    controls: { matchers: { color: /(background|color)$/i } },
  },
};

export default preview;
