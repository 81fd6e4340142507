import { describe, expect, it } from 'vitest';
import { DEVICE_NAME_PROBLEMS, deviceNameProblem } from './deviceName.ts';

describe('device names', () => {
  it('accepts up to 64 printable characters once trimmed, counting characters, not UTF-16 units', () => {
    expect(deviceNameProblem('  Back office PC  ')).toBeNull();
    expect(deviceNameProblem('🏪'.repeat(64))).toBeNull();
    expect(deviceNameProblem('🏪'.repeat(65))).toBe(DEVICE_NAME_PROBLEMS.tooLong);
  });

  it('refuses empty names, line breaks, control and invisible formatting characters', () => {
    expect(deviceNameProblem('   ')).toBe(DEVICE_NAME_PROBLEMS.empty);
    for (const bad of ['Till\nPC', 'Till\tPC', 'Till\u0000PC', 'Till\u202ePC', 'Till\u2028PC'])
      expect(deviceNameProblem(bad), JSON.stringify(bad)).toBe(DEVICE_NAME_PROBLEMS.notPrintable);
  });
});
