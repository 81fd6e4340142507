/**
 * UI and session-side state (back-end data lives in TanStack Query). One
 * store built from slices; features add their slice here. `resetAppStore`
 * puts it back to its first state between tests.
 */
import { create, type StateCreator } from 'zustand';
import type { FleetFilter, TerminalSortKey } from '../../shared/contract/index.ts';
import type { CellSelection } from '../features/fleet/fleetFilters.ts';

export type ConnectionSlice = {
  /** Whether the local back end (browser mode's event stream) answers; true in Electron. */
  isBackendReachable: boolean;
  setBackendReachable: (isUp: boolean) => void;
};

export type TerminalSort = { key: TerminalSortKey; desc: boolean };

export type FleetSlice = {
  fleetFilter: FleetFilter;
  /** A clicked matrix cell narrows the terminal table to that store and release. */
  cellSelection: CellSelection | null;
  terminalSearch: string;
  terminalSort: TerminalSort;
  setFleetFilter: (patch: Partial<FleetFilter>) => void;
  setCellSelection: (cell: CellSelection | null) => void;
  setTerminalSearch: (search: string) => void;
  clearFleetFilter: () => void;
  setTerminalSort: (sort: TerminalSort) => void;
};

/**
 * The store and release the person is working on: picked once, kept by the
 * Checklists, Go / no-go and Change requests screens (and any other that
 * works on one store's release) until changed.
 */
/**
 * The store and release being worked on, shared by Checklists, Go / no-go and
 * Change requests. Kept across sign-out on purpose: on a store console the
 * hand-off is a technician's runs, then the manager signing for the same store
 * and release.
 */
export type WorkContextSlice = {
  workStoreId: string | null;
  workReleaseId: string | null;
  setWorkStoreId: (storeId: string | null) => void;
  setWorkReleaseId: (releaseId: string | null) => void;
};

/** A file attached to the report form before sending (bytes kept until they are staged). */
export type ReportAttachmentDraft = {
  key: string;
  name: string;
  mime: string;
  size: number;
  kind: 'screenshot' | 'photo' | 'file';
  /** Set when the back end already holds the bytes (Electron's window capture). */
  sha256: string | null;
  bytes: Uint8Array | null;
  /** An object URL for the thumbnail of an image. */
  previewUrl: string | null;
};

/** The report form, opened from anywhere with what was on screen when it was asked for. */
export type ReportRequest = {
  screen: string;
  runId?: string;
  terminalId?: string;
  itemId?: string;
  deploymentId?: string;
  /** The checklist item's title, when the report is raised from a failed item. */
  itemTitle?: string;
  screenshot: ReportAttachmentDraft | null;
  isCaptureFailed: boolean;
};

export type ReportSlice = {
  reportRequest: ReportRequest | null;
  openReport: (request: ReportRequest) => void;
  closeReport: () => void;
  /** The feature request form, opened from the status bar, its shortcut or Our reports. */
  isFeatureRequestOpen: boolean;
  setFeatureRequestOpen: (isOpen: boolean) => void;
};

export type AppState = ConnectionSlice & FleetSlice & WorkContextSlice & ReportSlice;

const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  isBackendReachable: true,
  setBackendReachable: (isUp) => set({ isBackendReachable: isUp }),
});

const DEFAULT_SORT: TerminalSort = { key: 'store', desc: false };

const createFleetSlice: StateCreator<AppState, [], [], FleetSlice> = (set) => ({
  fleetFilter: {},
  cellSelection: null,
  terminalSearch: '',
  terminalSort: DEFAULT_SORT,
  setFleetFilter: (patch) =>
    set((state) => ({ fleetFilter: withoutEmpty({ ...state.fleetFilter, ...patch }) })),
  setCellSelection: (cell) => set({ cellSelection: cell }),
  setTerminalSearch: (search) => set({ terminalSearch: search }),
  clearFleetFilter: () => set({ fleetFilter: {}, cellSelection: null, terminalSearch: '' }),
  setTerminalSort: (sort) => set({ terminalSort: sort }),
});

const createWorkContextSlice: StateCreator<AppState, [], [], WorkContextSlice> = (set) => ({
  workStoreId: null,
  workReleaseId: null,
  setWorkStoreId: (storeId) => set({ workStoreId: storeId }),
  setWorkReleaseId: (releaseId) => set({ workReleaseId: releaseId }),
});

const createReportSlice: StateCreator<AppState, [], [], ReportSlice> = (set) => ({
  reportRequest: null,
  openReport: (request) => set({ reportRequest: request }),
  closeReport: () => set({ reportRequest: null }),
  isFeatureRequestOpen: false,
  setFeatureRequestOpen: (isOpen) => set({ isFeatureRequestOpen: isOpen }),
});

/** Drops cleared fields so equal filters make equal query keys. */
function withoutEmpty(filter: FleetFilter): FleetFilter {
  const out: FleetFilter = {};
  for (const [key, value] of Object.entries(filter) as Array<[keyof FleetFilter, unknown]>) {
    if (value === undefined || value === '' || value === false || value === null) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export const useAppStore = create<AppState>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createFleetSlice(...a),
  ...createWorkContextSlice(...a),
  ...createReportSlice(...a),
}));

const initialState = useAppStore.getState();

export function resetAppStore(): void {
  useAppStore.setState(initialState, true);
}
