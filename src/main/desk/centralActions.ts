/**
 * `desk:centralActions`: what administrators changed, as the central server
 * lists it for this desk's scope. Read through on every call and not cached:
 * the list answers "who changed this, and when" as the log holds it now, and
 * offline the screen says the server cannot be reached.
 */
import { centralActionsPage, type CentralActionsPage } from '../../shared/desk/centralActions.ts';
import type { DeskService } from './service.ts';

export async function fetchCentralActions(
  desk: Pick<DeskService, 'request'>,
  input: { before?: number | undefined; type?: string | undefined; adminId?: string | undefined },
): Promise<CentralActionsPage> {
  const query = new URLSearchParams({ limit: '50' });
  if (input.before !== undefined) query.set('before', String(input.before));
  if (input.type !== undefined) query.set('type', input.type);
  if (input.adminId !== undefined) query.set('adminId', input.adminId);
  return centralActionsPage.parse(
    await desk.request(`/v1/desk/central-actions?${query.toString()}`),
  );
}
