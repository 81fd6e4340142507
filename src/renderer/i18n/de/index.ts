/** German, the second language: the same keys as English (see messages.ts), in German. */
import type { Messages } from '../messages.ts';
import type { en } from '../en/index.ts';
import { common } from './common.ts';
import { components } from './components.ts';
import { domain } from './domain.ts';
import { shell } from './shell.ts';

export const de: Partial<Messages<typeof en>> = {
  common,
  components,
  shell,
  domain,
};
