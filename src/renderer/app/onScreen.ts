/**
 * Tells the main process what is open on screen that a restart for an update
 * would interrupt: a checklist run being answered, a sign-off being filled
 * in. safeToInstall reads it; the update then waits and the status bar says
 * why. Each screen reports with one hook; this module sends the sum.
 */
import { useEffect, useId } from 'react';
import type { Client } from '../api/client.ts';
import { useApi } from '../api/ApiContext.tsx';

type Run = { id: string; label: string };

const runs = new Map<string, Run>();
const signOffs = new Set<string>();
let lastSent = '';

function send(api: Client): void {
  const report = {
    openChecklistRuns: [...runs.values()].slice(0, 20),
    isSignOffOpen: signOffs.size > 0,
  };
  const text = JSON.stringify(report);
  if (text === lastSent) return;
  lastSent = text;
  // Best effort: a report that does not arrive only means the update is not held back by this screen.
  api['updates:reportScreen'](report).catch(() => {
    lastSent = '';
  });
}

/** While mounted with a run, that run counts as being answered. */
export function useReportChecklistRun(run: Run | null): void {
  const api = useApi();
  const key = useId();
  const id = run?.id ?? null;
  const label = run?.label ?? '';
  useEffect(() => {
    if (id === null) return undefined;
    runs.set(key, { id, label: label.slice(0, 200) });
    send(api);
    return () => {
      runs.delete(key);
      send(api);
    };
  }, [api, key, id, label]);
}

/** While mounted and `isOpen`, a sign-off is open. */
export function useReportSignOff(isOpen: boolean): void {
  const api = useApi();
  const key = useId();
  useEffect(() => {
    if (!isOpen) return undefined;
    signOffs.add(key);
    send(api);
    return () => {
      signOffs.delete(key);
      send(api);
    };
  }, [api, key, isOpen]);
}
