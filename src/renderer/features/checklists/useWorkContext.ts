/**
 * The store and release the checklist, go / no-go and change request screens
 * are about. Picked once, they are kept in the app store (zustand) so moving
 * between screens keeps them; the URL (`?store=…&release=…`) carries them too,
 * so the back button, a reload and a link to one store's release agree, and a
 * link's values become the current ones.
 */
import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../state/store.ts';

export type WorkContext = {
  storeId: string | null;
  releaseId: string | null;
  setStoreId: (storeId: string | null) => void;
  setReleaseId: (releaseId: string | null) => void;
  /** `?store=…&release=…` for links between the screens. */
  search: string;
};

export function useWorkContext(): WorkContext {
  const [params, setParams] = useSearchParams();
  const remembered = useAppStore(
    useShallow((s) => ({
      storeId: s.workStoreId,
      releaseId: s.workReleaseId,
      setStoreId: s.setWorkStoreId,
      setReleaseId: s.setWorkReleaseId,
    })),
  );
  const linkedStoreId = params.get('store');
  const linkedReleaseId = params.get('release');
  const storeId = linkedStoreId ?? remembered.storeId;
  const releaseId = linkedReleaseId ?? remembered.releaseId;
  const { setStoreId: rememberStore, setReleaseId: rememberRelease } = remembered;

  // A link (or the back button) that names a store or release makes it the current one.
  useEffect(() => {
    if (linkedStoreId !== null) rememberStore(linkedStoreId);
  }, [linkedStoreId, rememberStore]);
  useEffect(() => {
    if (linkedReleaseId !== null) rememberRelease(linkedReleaseId);
  }, [linkedReleaseId, rememberRelease]);

  const update = useCallback(
    (key: 'store' | 'release', value: string | null) => {
      if (key === 'store') rememberStore(value);
      else rememberRelease(value);
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: true },
      );
    },
    [setParams, rememberStore, rememberRelease],
  );
  const search = useMemo(() => contextSearch(storeId, releaseId), [storeId, releaseId]);
  return {
    storeId,
    releaseId,
    setStoreId: (id) => update('store', id),
    setReleaseId: (id) => update('release', id),
    search,
  };
}

function contextSearch(storeId: string | null, releaseId: string | null): string {
  const params = new URLSearchParams();
  if (storeId) params.set('store', storeId);
  if (releaseId) params.set('release', releaseId);
  const text = params.toString();
  return text ? `?${text}` : '';
}
