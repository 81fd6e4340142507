/** English: why an action is not offered to the signed-in person. */
export const permissions = {
  signIn: 'Sign in to {{what}}.',
  onlyRoles: 'Only {{roles}} can {{what}}; you are signed in as {{role}}.',
  /** What each gated call does, to finish "Only … can …". */
  action: {
    recordVersion: 'record a terminal’s version',
    startRun: 'start a checklist run',
    pauseRun: 'pause a checklist run',
    resumeRun: 'resume a checklist run',
    recordResult: 'answer checklist items',
    attachEvidence: 'attach evidence',
    waiveItem: 'waive a checklist item',
    draftBugReport: 'report a bug from a checklist item',
    recordDecision: 'sign a go / no-go decision',
    planDeployment: 'plan a deployment',
    actOnDeployment: 'act on a deployment',
    requestChange: 'ask for a change',
    decideChange: 'approve or reject a change request',
    deskConnection: 'see the desk connection',
    deskConnect: 'enroll this console as a desk',
    deskRefresh: 'refresh the desk',
    deskStores: 'see the stores desk',
    deskStoreDetail: 'see a store on the desk',
    releaseProgression: "see a release's progression on the desk",
    restartForUpdate: 'restart the console for its update',
    reportScreen: 'report what is open on screen',
  },
};
