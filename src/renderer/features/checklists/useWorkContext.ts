/**
 * The store and release the checklist and go / no-go screens are about. They
 * live in the URL (`?store=…&release=…`) so both screens, the back button and
 * a reload agree, and a link can point at one store's release.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

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
  const storeId = params.get('store');
  const releaseId = params.get('release');
  const update = useCallback(
    (key: 'store' | 'release', value: string | null) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: true },
      ),
    [setParams],
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

export function contextSearch(storeId: string | null, releaseId: string | null): string {
  const params = new URLSearchParams();
  if (storeId) params.set('store', storeId);
  if (releaseId) params.set('release', releaseId);
  const text = params.toString();
  return text ? `?${text}` : '';
}
