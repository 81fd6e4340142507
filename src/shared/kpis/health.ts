/** The shapes of the per-release health page and of the verdict served to store consoles. */
import { z } from 'zod';
import { kpiValue } from './definitions.ts';
import { verdictSchema } from './verdict.ts';

export const releaseHealth = z
  .object({
    releaseId: z.string(),
    version: z.string(),
    publishedAt: z.string().nullable(),
    rollout: z
      .object({
        storesInScope: z.number().int(),
        storesOnRelease: z.number().int(),
        terminalsInScope: z.number().int(),
        terminalsOnRelease: z.number().int(),
        /** Terminals on the release ÷ terminals in scope, 0–1. */
        share: z.number(),
      })
      .strict(),
    period: z.object({ from: z.string(), to: z.string() }).strict(),
    kpis: z.array(kpiValue),
    /** The previous release at the same point of its rollout (same time since its publication). */
    previous: z
      .object({
        releaseId: z.string(),
        version: z.string(),
        period: z.object({ from: z.string(), to: z.string() }).strict(),
        kpis: z.array(kpiValue),
      })
      .strict()
      .nullable(),
    openBugs: z
      .object({ blocker: z.number().int(), major: z.number().int(), minor: z.number().int() })
      .strict(),
    verdict: verdictSchema,
    asOf: z.string(),
  })
  .strict();
export type ReleaseHealth = z.infer<typeof releaseHealth>;

/** What a store console is told about a release before its people validate it: the chain-wide verdict. */
export const releaseVerdict = z
  .object({ releaseId: z.string(), version: z.string(), verdict: verdictSchema, asOf: z.string() })
  .strict();
export type ReleaseVerdict = z.infer<typeof releaseVerdict>;

export const releaseParams = z.object({ id: z.string().min(1).max(64) }).strict();
