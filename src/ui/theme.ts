import type { Category } from '../../nodes/define.ts';

/** One colour per category, so a glance tells sources from processors from routing. */
export const CATEGORY_COLORS: Record<Category, string> = {
  source: '#2f7d4f',
  eq: '#2b62a8',
  dynamics: '#a0522d',
  routing: '#6b4fa0',
  effects: '#a03a6e',
  utility: '#4d6470',
  output: '#8a6d00',
};

export const CATEGORY_LABELS: Record<Category, string> = {
  source: 'Sources',
  eq: 'EQ',
  dynamics: 'Dynamics',
  routing: 'Routing',
  effects: 'Effects',
  utility: 'Utility',
  output: 'Output',
};
