/**
 * The catalog feature's admin routes: stores and terminals (JSON or CSV),
 * releases, ring targets, users, runbooks, feature flags, store windows,
 * checklist templates and requirements. The publish services read their own
 * bodies so that every bad field (or row) is listed at once; their schemas
 * are still declared here for OpenAPI.
 */
import { z } from 'zod';
import { catalogRelease, catalogUser } from '../../shared/catalog/schema.ts';
import {
  checklistTemplate,
  releaseChecklistRequirement,
} from '../../shared/checklists/template.ts';
import { catalogFeatureFlag, catalogRunbook } from '../../shared/deployments/runbook.ts';
import { catalogStoreWindows } from '../../shared/deployments/windows.ts';
import type { JsonValue } from '../../shared/audit/event.ts';
import { runAdminAction, type AdminActionType } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import type { Principal } from '../auth/tokens.ts';
import type { FeaturePlugin } from '../http/context.ts';
import { publishRevisioned } from '../revisions/service.ts';
import { describe, errorResponses, routeOf, serviceReadsBody } from '../http/route.ts';
import { ADMIN_ROUTES } from '../routes.ts';
import { publishChecklistTemplate, setChecklistRequirement } from './checklists.ts';
import { CSV_KINDS, parseFleetCsv } from './csv.ts';
import { parseFields, publishFeatureFlag, publishRunbook, setStoreWindows } from './deployments.ts';
import {
  createUser,
  createUserInput,
  fleetImport,
  importFleet,
  publishRelease,
} from './service.ts';
import { adminRingTargetSchema, adminSetRingTarget } from '../releaseDesk/service.ts';

const csvInput = z
  .object({ kind: z.enum(CSV_KINDS), csv: z.string().max(ADMIN_ROUTES.importFleetCsv.bodyLimit) })
  .strict();
const importedResponse = z
  .object({ stores: z.number().int(), terminals: z.number().int() })
  .strict();

export const catalogRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, now } = ctx;
  const r = ADMIN_ROUTES;
  const revisionMeta = (principal: Principal | null) => ({
    authorId: adminActedBy(principal).adminId,
    at: now(),
    requiredApprovals: ctx.revisionApprovals,
  });
  /** Runs a catalog service as a central action of the request's administrator, durable before it answers. */
  async function act<T>(
    principal: Principal | null,
    type: AdminActionType,
    change: (d: typeof db) => Promise<T>,
    payload: (result: T) => { [k: string]: JsonValue },
  ): Promise<T> {
    const { result } = await runAdminAction(
      db,
      ctx.key,
      { actedBy: adminActedBy(principal), type, at: now(), payload },
      change,
    );
    await ctx.store.durable();
    return result;
  }

  app.route({
    ...routeOf(r.importFleet),
    schema: {
      ...describe(
        r.importFleet,
        'catalog',
        'Create or update stores and terminals (all or nothing)',
      ),
      body: fleetImport,
      response: { 200: importedResponse, ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.fleet.imported',
        (d) => importFleet(d, request.body, now()),
        (out) => ({ ...out }),
      ),
  });

  app.route({
    ...routeOf(r.importFleetCsv),
    schema: {
      ...describe(r.importFleetCsv, 'catalog', 'Create or update stores or terminals from CSV'),
      body: csvInput,
      response: { 200: importedResponse, ...errorResponses },
    },
    handler: (request) => {
      const parsed = parseFleetCsv(request.body.kind, request.body.csv);
      return act(
        request.principal,
        'admin.fleet.imported',
        (d) =>
          importFleet(
            d,
            request.body.kind === 'stores'
              ? { stores: parsed.rows, terminals: [] }
              : { stores: [], terminals: parsed.rows },
            now(),
            parsed.errors,
          ),
        (out) => ({ ...out, csv: request.body.kind }),
      );
    },
  });

  app.route({
    ...routeOf(r.publishRelease),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(r.publishRelease, 'catalog', 'Publish or update a release'),
      body: catalogRelease,
      response: { 200: catalogRelease, ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.release.published',
        (d) => publishRelease(d, request.body, now()),
        (release) => ({ releaseId: release.id, version: release.version, status: release.status }),
      ),
  });

  app.route({
    ...routeOf(r.setRingTarget),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        r.setRingTarget,
        'catalog',
        "Point a ring at a release, gated by the previous ring's evidence (override with a reason)",
      ),
      body: adminRingTargetSchema,
      response: {
        200: z
          .object({
            ok: z.literal(true),
            /** The override's entry in the central log; null for a promotion the gate allowed. */
            logIndex: z.number().int().nullable(),
          })
          .strict(),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const who = adminActedBy(request.principal);
      const out = await adminSetRingTarget(db, ctx.key, request.body, who, now());
      await ctx.store.durable();
      return { ok: true as const, logIndex: out.logIndex };
    },
  });

  app.route({
    ...routeOf(r.createUser),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(
        r.createUser,
        'catalog',
        'Create or replace a user (the PIN is stored as a scrypt hash)',
      ),
      body: createUserInput,
      response: { 200: catalogUser.omit({ pinHash: true }), ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.user.created',
        (d) => createUser(d, request.body, now()),
        (user) => ({ userId: user.id, name: user.name, role: user.role, storeIds: user.storeIds }),
      ),
  });

  app.route({
    ...routeOf(r.publishRunbook),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(r.publishRunbook, 'catalog', "Publish a release's runbook and rollback runbook"),
      body: catalogRunbook,
      response: { 200: catalogRunbook, ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.runbook.published',
        (d) =>
          publishRevisioned(
            d,
            'runbook',
            (db2, options) => publishRunbook(db2, request.body, now(), options),
            revisionMeta(request.principal),
          ),
        ({ document: runbook, revision }) => ({
          releaseId: runbook.releaseId,
          runbookId: runbook.id,
          revision: { ...revision },
        }),
      ).then(({ document }) => document),
  });

  app.route({
    ...routeOf(r.publishFeatureFlag),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(r.publishFeatureFlag, 'catalog', "Publish a release's feature flag"),
      body: catalogFeatureFlag,
      response: { 200: catalogFeatureFlag, ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.featureFlag.published',
        (d) => publishFeatureFlag(d, request.body, now()),
        (flag) => ({ releaseId: flag.releaseId, key: flag.key }),
      ),
  });

  app.route({
    ...routeOf(r.setStoreWindows),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(r.setStoreWindows, 'catalog', "A store's trading hours and freeze windows"),
      body: catalogStoreWindows,
      response: { 200: catalogStoreWindows, ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.storeWindows.set',
        (d) => setStoreWindows(d, request.body, now()),
        (windows) => ({ storeId: windows.storeId }),
      ),
  });

  app.route({
    ...routeOf(r.publishChecklistTemplate),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(r.publishChecklistTemplate, 'catalog', 'Publish a checklist template'),
      body: checklistTemplate,
      response: { 200: checklistTemplate, ...errorResponses },
    },
    handler: (request) => {
      const template = parseFields(checklistTemplate, request.body, 'The checklist template');
      return act(
        request.principal,
        'admin.checklistTemplate.published',
        (d) =>
          publishRevisioned(
            d,
            'checklistTemplate',
            (db2, options) => publishChecklistTemplate(db2, template, now(), options),
            revisionMeta(request.principal),
          ),
        ({ document: published, revision }) => ({
          templateId: published.id,
          version: published.version,
          revision: { ...revision },
        }),
      ).then(({ document }) => document);
    },
  });

  app.route({
    ...routeOf(r.setChecklistRequirement),
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(r.setChecklistRequirement, 'catalog', 'Require a checklist for a release'),
      body: releaseChecklistRequirement,
      response: { 200: releaseChecklistRequirement, ...errorResponses },
    },
    handler: (request) =>
      act(
        request.principal,
        'admin.checklistRequirement.set',
        (d) => setChecklistRequirement(d, request.body, now()),
        (r) => ({ releaseId: r.releaseId, templateId: r.templateId }),
      ),
  });
  return Promise.resolve();
};
