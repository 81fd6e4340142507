import type { en } from './en/index.ts';

// i18next's documented way to type keys is module augmentation, which needs an interface.
declare module 'i18next' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof en;
    returnNull: false;
  }
}
