/** Test helpers for a simulated console; the device itself is product code (the demo pushes with it). */
export { createSimDevice, type SimDevice } from '../sync/simDevice.ts';

/** A valid `fleet.version.recorded` payload. */
export function versionPayload(i: number, terminalId = 'T-1'): Record<string, unknown> {
  return {
    terminalId,
    version: `1.${i % 50}.0`,
    releaseId: `rel-1.${i % 50}.0`,
    previousVersion: null,
    source: 'typed',
  };
}
