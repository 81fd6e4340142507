/** The demo fleet channel: a first run without a central server can try the console on the demo catalog. */
import type { SessionStatus } from '../session/types.ts';
import { call } from './define.ts';
import { empty } from './schemas.ts';

export const demoContract = {
  /** First run only: loads the demo catalog from resources/ when there is no catalog. */
  'demo:load': call<SessionStatus>()({ input: empty, access: 'public' }),
} as const;
