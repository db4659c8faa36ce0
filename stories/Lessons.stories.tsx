// The lesson views: Lessons… (the built-in lessons with their descriptions) and the lesson panel on
// a starting session (nothing done), halfway, and on the solution (every step done, the level step
// waiting for play), each evaluated by the checks engine on the real built-in lesson.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { evaluateSteps } from '../src/lessons/checks.ts';
import { loadSession } from '../src/presets/load.ts';
import { BUILT_IN_LESSONS } from '../src/ui/lessons/builtins.ts';
import { LessonPanelView } from '../src/ui/lessons/LessonPanel.tsx';
import { LessonsDialog } from '../src/ui/lessons/LessonsDialog.tsx';
import solutionText from '../presets/lessons/signal-flow-101.solution.json?raw';
import { mixgraph } from './harness.tsx';

const lesson = BUILT_IN_LESSONS.find((l) => l.id === 'built-in:lessons/signal-flow-101')!.doc;
const halfway = { ...lesson.session, edges: [...lesson.session.edges.filter((e) => e.from !== 'kick'), { from: 'kick', fromPort: 'out', to: 'drums', toPort: 'in' }, { from: 'drums', fromPort: 'out', to: 'master', toPort: 'in' }] };

const meta = {
  title: 'Editor/Lessons',
  parameters: mixgraph({ doc: () => lesson.session }),
  decorators: [
    (Story) => (
      <div style={{ minHeight: 560, position: 'relative' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta;
export default meta;
type Story = StoryObj<typeof meta>;

/** Every built-in lesson; the picked one shows its description and how many steps it has. */
export const LessonsList: Story = {
  render: () => <LessonsDialog onOpen={() => {}} onClose={() => {}} />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement.ownerDocument.body);
    await expect(canvasElement.ownerDocument.querySelectorAll('.lesson-name').length).toBe(BUILT_IN_LESSONS.length);
    await expect(c.getByText(/A bus adds several signals together/)).toBeInTheDocument();
  },
};

/** The starting session: step 1 open, its checks unticked with what was expected and found. */
export const NothingDone: Story = {
  render: () => <LessonPanelView lesson={lesson} results={evaluateSteps(lesson.session, lesson.steps)} />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(c.getByRole('status')).toHaveTextContent('Step 1 of 3');
    await expect(c.getByText(/Kick goes straight to the Master/)).toBeInTheDocument();
  },
};

/** Kick → bus → master connected: step 1 ticked, the panel on step 2. */
export const Halfway: Story = {
  render: () => <LessonPanelView lesson={lesson} results={evaluateSteps(halfway, lesson.steps)} />,
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Step 2 of 3');
  },
};

/** The solution without playing: the level step asks for play instead of failing. */
export const WaitingForPlay: Story = {
  render: () => <LessonPanelView lesson={lesson} results={evaluateSteps(loadSession(solutionText, 'solution.json'), lesson.steps)} />,
  play: async ({ canvasElement }) => {
    const c = within(canvasElement);
    await expect(c.getByRole('status')).toHaveTextContent('Step 3 of 3');
    await expect(c.getByText(/Press play to check/)).toBeInTheDocument();
  },
};
