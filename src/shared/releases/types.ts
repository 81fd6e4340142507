/** The releases feature's types: the catalog's releases and their notes. */
import type { ReleaseStatus, ReleaseType, Ring } from '../domain/releases.ts';
import type { Store } from '../fleet/types.ts';

export type Release = {
  id: string;
  version: string;
  type: ReleaseType;
  ring: Ring;
  status: ReleaseStatus;
  plannedAt: string | null;
  actualAt: string | null;
  title: string;
  notesMarkdown: string;
};

export type ReleaseSummary = Omit<Release, 'notesMarkdown'> & {
  /** Terminals whose current release is this one. */
  terminalCount: number;
  /** Rings whose target this release is. */
  targetOfRings: Ring[];
};

export type ReleaseNotesBetween = {
  store: Store;
  /** The lowest release among the store's terminals: the notes cover what the least-updated lane goes through. */
  currentVersion: string | null;
  targetVersion: string | null;
  releases: Array<
    Pick<Release, 'id' | 'version' | 'type' | 'title' | 'notesMarkdown' | 'actualAt' | 'plannedAt'>
  >;
};
