/** What the registry of audit event types (eventTypes.ts) knows of each type; its own module so feature registries can name it without importing the registry that spreads them. */
import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';

export type EventTypeSpec = { payload: z.ZodType; roles: readonly Role[] };
