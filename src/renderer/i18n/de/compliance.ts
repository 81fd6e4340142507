/** German: the compliance report (src/renderer/features/compliance). */
import type { compliance as en } from '../en/compliance.ts';
import type { Messages } from '../messages.ts';

export const compliance: Messages<typeof en> = {
  title: 'Compliance-Bericht',
  gateTitle: 'Für Go fehlen zuerst die Compliance-Prüfungen der Filiale',
  heading: '{{title}} — {{version}}, {{region}}',
  release: 'Release',
  region: 'Region',
  country: 'Land',
  pick: 'Wählen Sie ein Release und eine Region oder ein Land, um den Compliance-Bericht zu sehen.',
  notDesk:
    'Der Compliance-Bericht kommt vom zentralen Server: verbinden Sie diese Konsole zuerst als Desk.',
  csv: 'CSV exportieren',
  rules: 'Geltende Regeln',
  noRules: 'Für dieses Release gilt in dieser Region oder diesem Land keine Compliance-Regel.',
  stores: '{{count}} Filialen, {{compliant}} konform',
  compliant: 'Konform',
  notCompliant: 'Nicht konform',
  check: 'Geforderte Prüfung',
  result: 'Ergebnis',
  signer: 'Unterzeichner',
  evidence: 'Nachweise (SHA-256)',
  proof: 'Einschlussnachweis',
  noEvidence: 'keine',
  leaf: 'Blatt {{index}} von {{size}}, Ereignis {{hash}}',
  path: 'Prüfpfad',
  noProof: '—',
  decision: 'Letzte Entscheidung: {{decision}} von {{name}}, {{when}}',
  noDecision: 'Noch keine Entscheidung im zentralen Protokoll.',
  treeHead: 'Signierter Baumkopf',
  treeHeadHint:
    'Jeder Einschlussnachweis dieses Berichts lässt sich gegen diesen Baumkopf prüfen: Wurzel, Größe und die Ed25519-Signatur des Protokolls.',
  treeSize: 'Größe',
  treeRoot: 'Wurzel',
  treeAt: 'Signiert am',
  logId: 'Protokoll-ID',
  signature: 'Signatur',
  kinds: { checklist: 'Checkliste', 'sign-off': 'Freigabe' },
  results: {
    passed: 'Bestanden',
    passed_with_waivers: 'Bestanden mit Ausnahmen',
    failed: 'Fehlgeschlagen',
    missing: 'Fehlt',
  },
  terminals_one: '{{passed}} von {{count}} Terminal',
  terminals_other: '{{passed}} von {{count}} Terminals',
};
