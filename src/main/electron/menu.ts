/**
 * The console's application menu, built by a pure function so it is tested
 * under plain Node (only Electron's types are imported). main.ts turns the
 * template into a Menu and supplies the actions.
 *
 * DevTools (and reload, which would drop a half-typed form) exist only in
 * development: a store's console is not a browser.
 */
import type { MenuItemConstructorOptions } from 'electron';

export type MenuContext = {
  appName: string;
  version: string;
  /** The device id the journal signs with; null before the first start finished. */
  deviceId: string | null;
  /** Where the console's log files are written. */
  logDir: string;
  isDevelopment: boolean;
  isMac: boolean;
};

export type MenuActions = {
  showAbout(): void;
  openLogFolder(): void;
  /** Opens the report form in the window (the renderer's Ctrl/Cmd+Shift+B does the same). */
  reportProblem(): void;
  /** Opens the feature request form (the renderer's Ctrl/Cmd+Shift+F does the same). */
  requestFeature(): void;
};

/** The shortcut of "Report a problem…", the same in the menu and the renderer. */
const REPORT_PROBLEM_ACCELERATOR = 'CmdOrCtrl+Shift+B';
/** The shortcut of "Request a feature…", the same in the menu and the renderer. */
const REQUEST_FEATURE_ACCELERATOR = 'CmdOrCtrl+Shift+F';

/** What About shows: what support asks for first. */
export function aboutText(context: MenuContext): string {
  return [
    `Version ${context.version}`,
    `Device ${context.deviceId ?? 'not set up yet'}`,
    `Logs ${context.logDir}`,
  ].join('\n');
}

export function buildMenuTemplate(
  context: MenuContext,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = {
    label: `About ${context.appName}`,
    click: () => actions.showAbout(),
  };
  const macApp: MenuItemConstructorOptions[] = context.isMac
    ? [
        {
          label: context.appName,
          submenu: [
            about,
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const view: MenuItemConstructorOptions[] = [
    ...(context.isDevelopment
      ? ([
          { role: 'reload' },
          { role: 'forceReload' },
          { role: 'toggleDevTools' },
          { type: 'separator' },
        ] satisfies MenuItemConstructorOptions[])
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...macApp,
    { label: 'File', submenu: [context.isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'View', submenu: view },
    {
      role: 'help',
      label: 'Help',
      submenu: [
        {
          label: 'Report a problem…',
          accelerator: REPORT_PROBLEM_ACCELERATOR,
          click: () => actions.reportProblem(),
        },
        {
          label: 'Request a feature…',
          accelerator: REQUEST_FEATURE_ACCELERATOR,
          click: () => actions.requestFeature(),
        },
        { type: 'separator' },
        ...(context.isMac ? [] : [about]),
        { label: 'Open the log folder', click: () => actions.openLogFolder() },
      ],
    },
  ];
}
