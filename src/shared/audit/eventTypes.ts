/**
 * Every journal event type, with its payload schema and the roles that may
 * produce it. The console validates before appending; the server checks the
 * same table on every pushed event. Features register their types here.
 */
import { z } from 'zod';
import { CHANGE_REQUEST_EVENT_TYPES, DEPLOYMENT_EVENT_TYPES } from '../deployments/events.ts';
import { CHECKLIST_EVENT_TYPES } from '../checklists/eventTypes.ts';
import { CONSOLE_UPDATE_EVENT_TYPES } from '../updates/events.ts';
import { FEEDBACK_EVENT_TYPES } from '../feedback/events.ts';
import { NOTICE_EVENT_TYPES } from '../notices/protocol.ts';
import { STORE_NOTES_EVENT_TYPES } from '../releases/storeNotes.ts';

import type { EventTypeSpec } from './eventTypeSpec.ts';

export type { EventTypeSpec } from './eventTypeSpec.ts';

const idText = z.string().min(1).max(64);

export const EVENT_TYPES = {
  'session.signed_in': {
    payload: z.object({ userId: idText }).strict(),
    roles: ['technician', 'manager', 'support', 'admin'],
  },
  'session.signed_out': {
    payload: z.object({ userId: idText }).strict(),
    roles: ['technician', 'manager', 'support', 'admin'],
  },
  'fleet.version.recorded': {
    payload: z
      .object({
        terminalId: idText,
        version: z.string().min(1).max(64),
        releaseId: idText,
        previousVersion: z.string().max(64).nullable(),
        source: z.enum(['typed', 'scanned']),
      })
      .strict(),
    roles: ['technician', 'manager'],
  },
  ...CHECKLIST_EVENT_TYPES,
  ...DEPLOYMENT_EVENT_TYPES,
  ...CHANGE_REQUEST_EVENT_TYPES,
  ...CONSOLE_UPDATE_EVENT_TYPES,
  ...FEEDBACK_EVENT_TYPES,
  ...NOTICE_EVENT_TYPES,
  ...STORE_NOTES_EVENT_TYPES,
} as const satisfies Record<string, EventTypeSpec>;

export type EventType = keyof typeof EVENT_TYPES;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_TYPES)[T]['payload']>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_TYPES, type);
}
