/** Who is calling: the signed-in session, and their user as the catalog knows it now. */
import type { Session } from '../../shared/contract/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { CallContext } from '../app/dispatcher.ts';
import type { CatalogUserRow, SessionService } from './service.ts';

export function requireSession(ctx: CallContext): Session {
  if (!ctx.session) throw new AppError('not_signed_in', 'Sign in to do this.');
  return ctx.session;
}

/** The caller's catalog entry (role, stores): a user removed from the catalog since signing in is refused. */
export function requireCatalogUser(
  sessions: SessionService,
  ctx: CallContext,
): { session: Session; user: CatalogUserRow } {
  const session = requireSession(ctx);
  const user = sessions.getUser(session.user.id);
  if (!user)
    throw new AppError('forbidden', 'Your user is no longer in the catalog. Sign in again.');
  return { session, user };
}
