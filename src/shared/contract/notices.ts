/**
 * Notices channels (console side): what the central server says concerns
 * this store's people (src/shared/notices/protocol.ts), kept on the console,
 * shown to the roles each concerns, and marked read with a `notice.read`
 * audit event.
 */
import { z } from 'zod';
import type { Notice } from '../notices/protocol.ts';
import { call } from './define.ts';

export type NoticeView = Notice & { isRead: boolean };

export type NoticeList = {
  /** The notices that concern the signed-in person, newest first. */
  notices: NoticeView[];
  unread: number;
  /** When the console last heard from the server (null: never). */
  fetchedAt: string | null;
  /** Why the last refresh failed; the kept notices stay. */
  error: string | null;
};

export const noticesContract = {
  /** Refreshes from the central server when connected, then lists what concerns the signed-in person. */
  'notices:list': call<NoticeList>()({ input: z.object({}).strict(), access: 'signedIn' }),
  /** Marks a notice read for the signed-in person (a `notice.read` audit event). */
  'notices:markRead': call<NoticeList>()({
    input: z.object({ noticeId: z.string().min(1).max(200) }).strict(),
    access: 'signedIn',
  }),
} as const;
