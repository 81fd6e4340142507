/** English: SESSION_TEXT of src/renderer/features/session/text.ts. */
export const session = {
  welcomeTitle: 'Welcome to the DearPOS Release Console',
  welcomeBody:
    'This console has no catalog yet. Once it is connected to the central server, your stores, terminals and releases appear here. Until then, try it with the demo fleet: a few stores with their terminals and releases, all stored on this computer.',
  tryDemo: 'Try the demo fleet',
  orConnect: 'or connect this console to your central server',
  demoIsSeparate:
    'What you record on the demo fleet stays on this computer and is never sent to a central server: to connect later, start the console with a new data folder.',
  demoLoading: 'Loading the demo fleet…',
  signInTitle: 'Sign in',
  signInSubtitle: 'Works offline: your PIN is checked on this computer.',
  userLabel: 'User',
  userPlaceholder: 'Type or pick your name',
  pinLabel: 'PIN',
  pinPlaceholder: 'Digits only',
  signIn: 'Sign in',
  pickUser: 'Pick your name first.',
  pinDigits: 'A PIN is 4 to 12 digits.',
  unlocksAt: 'Unlocks at {{time}}.',
  demoUsersTitle: 'Demo fleet: sign in as a demo user',
  demoUsersBody:
    'Click a name to pick it, then enter its PIN. These PINs are public and work on the demo fleet only.',
  demoRole: 'Role',
  demoPick: 'Sign in as {{name}}',
  demoSomeStores_one: '({{count}} store)',
  demoSomeStores_other: '({{count}} stores)',
  noUsers: 'The catalog has no users. Ask your administrator to publish users for this store.',
};
