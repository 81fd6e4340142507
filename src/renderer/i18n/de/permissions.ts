import type { Messages } from '../messages.ts';
import type { permissions as en } from '../en/permissions.ts';

export const permissions: Messages<typeof en> = {
  signIn: 'Melden Sie sich an, um {{what}}.',
  onlyRoles: 'Nur {{roles}} darf {{what}}; Sie sind angemeldet als {{role}}.',
  action: {
    recordVersion: 'die Version eines Terminals zu erfassen',
    startRun: 'einen Checklisten-Durchlauf zu starten',
    pauseRun: 'einen Checklisten-Durchlauf zu pausieren',
    resumeRun: 'einen Checklisten-Durchlauf fortzusetzen',
    recordResult: 'Checklistenpunkte zu beantworten',
    attachEvidence: 'Nachweise anzuhängen',
    waiveItem: 'eine Ausnahme für einen Checklistenpunkt zu erteilen',
    draftBugReport: 'einen Fehler zu einem Checklistenpunkt zu melden',
    sendBugDraft: 'einen Fehlerbericht-Entwurf an den Support zu senden',
    discardBugDraft: 'einen Fehlerbericht-Entwurf zu verwerfen',
    fileBugReport: 'ein Problem zu melden',
    replyToDesk: 'dem Support zu antworten',
    recordDecision: 'eine Go / No-Go-Entscheidung zu unterschreiben',
    planDeployment: 'einen Rollout zu planen',
    actOnDeployment: 'an einem Rollout zu arbeiten',
    requestChange: 'eine Änderung zu beantragen',
    decideChange: 'einen Änderungsantrag zu genehmigen oder abzulehnen',
    deskConnection: 'die Desk-Verbindung zu sehen',
    deskConnect: 'diese Konsole als Desk zu registrieren',
    deskRefresh: 'den Desk zu aktualisieren',
    deskStores: 'den Filial-Desk zu sehen',
    deskStoreDetail: 'eine Filiale im Desk zu sehen',
    restartForUpdate: 'die Konsole für ihr Update neu zu starten',
    reportScreen: 'zu melden, was auf dem Bildschirm offen ist',
  },
};
