/**
 * Writes resources/demo/catalog.json: the demo fleet of
 * src/main/demo/demoCatalog.ts plus each feature's demo parts (checklist
 * templates…). Run: npx node resources/demo/generate.ts
 */
import { writeFileSync } from 'node:fs';
import type { Catalog } from '../../src/shared/catalog/schema.ts';
import { buildDemoCatalog } from '../../src/main/demo/demoCatalog.ts';
import { demoChecklistCatalogParts } from './checklistTemplates.ts';
import { demoDeploymentCatalogParts } from './runbooks.ts';
import { demoRiskCommsCatalogParts } from './riskComms.ts';

/** The demo catalog exactly as catalog.json holds it (src/main/demo/demo.test.ts compares the two). */
export function buildDemoCatalogFile(): Catalog {
  const fleet = buildDemoCatalog();
  return {
    ...fleet,
    ...demoChecklistCatalogParts(fleet.releases),
    ...demoDeploymentCatalogParts(fleet),
    ...demoRiskCommsCatalogParts(),
  };
}

if (import.meta.main) {
  const file = new URL('./catalog.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify(buildDemoCatalogFile(), null, 2)}\n`);
  process.stdout.write(`wrote ${file.pathname}\n`);
}
