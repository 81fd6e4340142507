/**
 * A device's name as people read it in lists: trimmed, 1 to 64 characters,
 * printable (no control or invisible formatting characters, no line breaks),
 * so a device list or a terminal line cannot be broken or spoofed by it.
 * Plain code without zod: the Connect form checks it too, and the renderer
 * does not ship zod.
 */
const DEVICE_NAME_MAX_LENGTH = 64;

const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}]+$/u;

export const DEVICE_NAME_PROBLEMS = {
  empty: 'enter a device name',
  tooLong: `a device name has at most ${DEVICE_NAME_MAX_LENGTH} characters`,
  notPrintable:
    'a device name can hold only printable characters (no line breaks or control characters)',
} as const;

/** What is wrong with `name` once trimmed, or null when it can be used. */
export function deviceNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return DEVICE_NAME_PROBLEMS.empty;
  if ([...trimmed].length > DEVICE_NAME_MAX_LENGTH) return DEVICE_NAME_PROBLEMS.tooLong;
  if (!PRINTABLE.test(trimmed)) return DEVICE_NAME_PROBLEMS.notPrintable;
  return null;
}
