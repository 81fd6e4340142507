/**
 * A smoke test started from a deployment's step opens the checklist run with
 * `?returnTo=/deployments/<id>` so the run screen can lead back. Only a
 * deployment path is accepted: the parameter never sends anyone elsewhere.
 */
const DEPLOYMENT_PATH = /^\/deployments\/[A-Za-z0-9_.:-]{1,64}$/;

export function deploymentReturnPath(search: string): string | null {
  const target = new URLSearchParams(search).get('returnTo');
  return target !== null && DEPLOYMENT_PATH.test(target) ? target : null;
}
