/**
 * Writes resources/demo/catalog.json from src/main/demo/demoCatalog.ts.
 * Run: npx node resources/demo/generate.ts
 */
import { writeFileSync } from 'node:fs';
import { buildDemoCatalog } from '../../src/main/demo/demoCatalog.ts';

const file = new URL('./catalog.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildDemoCatalog(), null, 2)}\n`);
process.stdout.write(`wrote ${file.pathname}\n`);
