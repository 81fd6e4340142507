/**
 * What the release desk puts in the catalog consoles pull: blocks (every
 * console in scope shows a banner and refuses to start a deployment of a
 * blocked release without the emergency bypass) and scheduled deployment
 * windows (a store's console refuses to start outside its window).
 */
import { z } from 'zod';
import { storeLocalTime } from './schedule.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

/** A blocked release; its catalog id is the release id (unblocking deletes it). */
export const catalogReleaseBlock = z
  .object({
    releaseId: idText,
    reason: z.string().min(1).max(2000),
    blockedAt: z.iso.datetime({ offset: false }),
    /** The catalog user who blocked it at the release desk. */
    blockedBy: idText,
  })
  .strict();
export type CatalogReleaseBlock = z.infer<typeof catalogReleaseBlock>;

/** A scheduled window for one store; its catalog id is `<releaseId>/<storeId>`, sent to that store only. */
export const catalogDeploymentWindow = z
  .object({ releaseId: idText, storeId: idText, start: storeLocalTime, end: storeLocalTime })
  .strict();
export type CatalogDeploymentWindow = z.infer<typeof catalogDeploymentWindow>;

export function deploymentWindowId(w: { releaseId: string; storeId: string }): string {
  return `${w.releaseId}/${w.storeId}`;
}

/** A block as a console shows it: the catalog's block with the release's version and title. */
export type ReleaseBlockView = CatalogReleaseBlock & { version: string; title: string };
