import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { aboutText, buildMenuTemplate, type MenuContext } from './menu.ts';

const context: MenuContext = {
  appName: 'DearPOS Release Console',
  version: '2.4.0',
  deviceId: 'dev-0193',
  logDir: '/home/tess/.config/DearPOS Release Console/logs',
  isDevelopment: false,
  isMac: false,
};

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
  ]);
}
function noop() {}

describe('application menu', () => {
  it('has File, Edit, View and Help; no DevTools or reload outside development', () => {
    const template = buildMenuTemplate(context, {
      showAbout: noop,
      openLogFolder: noop,
      reportProblem: noop,
      requestFeature: noop,
    });
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    const roles = flatten(template).map((i) => i.role);
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).not.toContain('reload');
    expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'undo', 'quit', 'zoomIn']));
  });

  it('offers DevTools and reload in development', () => {
    const roles = flatten(
      buildMenuTemplate(
        { ...context, isDevelopment: true },
        { showAbout: noop, openLogFolder: noop, reportProblem: noop, requestFeature: noop },
      ),
    ).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['toggleDevTools', 'reload', 'forceReload']));
  });

  it('Help → Report a problem (Ctrl/Cmd+Shift+B) opens the report form, Request a feature (Ctrl/Cmd+Shift+F) the request form; About shows version, device id and log location; Help opens the log folder', () => {
    const calls: string[] = [];
    const template = buildMenuTemplate(context, {
      showAbout: () => calls.push('about'),
      openLogFolder: () => calls.push('logs'),
      reportProblem: () => calls.push('report'),
      requestFeature: () => calls.push('request'),
    });
    const help = template.find((m) => m.label === 'Help');
    const items = help?.submenu as MenuItemConstructorOptions[];
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'Report a problem…',
      'Request a feature…',
      'separator',
      'About DearPOS Release Console',
      'Open the log folder',
    ]);
    expect(items[0]!.accelerator).toBe('CmdOrCtrl+Shift+B');
    for (const item of items) (item.click as (() => void) | undefined)?.();
    expect(items[1]!.accelerator).toBe('CmdOrCtrl+Shift+F');
    expect(calls).toEqual(['report', 'request', 'about', 'logs']);
    expect(aboutText(context)).toBe(
      'Version 2.4.0\nDevice dev-0193\nLogs /home/tess/.config/DearPOS Release Console/logs',
    );
    expect(aboutText({ ...context, deviceId: null })).toContain('Device not set up yet');
  });

  it('on macOS About and Quit live in the application menu, as the platform expects', () => {
    const template = buildMenuTemplate(
      { ...context, isMac: true },
      { showAbout: noop, openLogFolder: noop, reportProblem: noop, requestFeature: noop },
    );
    expect(template.map((m) => m.label)).toEqual([
      'DearPOS Release Console',
      'File',
      'Edit',
      'View',
      'Help',
    ]);
    const appItems = template[0]?.submenu as MenuItemConstructorOptions[];
    expect(appItems[0]?.label).toBe('About DearPOS Release Console');
    expect(appItems.map((i) => i.role)).toContain('quit');
  });
});
