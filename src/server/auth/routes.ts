/**
 * The auth feature's routes: enrollment, device token renewal, and the
 * admin's enrollment codes, auditor tokens and device list.
 */
import { runAdminAction } from '../admins/actions.ts';
import { adminActedBy } from '../admins/service.ts';
import { z } from 'zod';
import {
  PROTOCOL_ROUTES,
  enrollRequest,
  enrollResponse,
  isoTime,
  renewTokenResponse,
} from '../../shared/sync/protocol.ts';
import {
  MAX_STORE_DEVICES,
  STORE_DEVICES_ROUTES,
  storeDevicesResponse,
} from '../../shared/sync/storeDevices.ts';
import type { FeaturePlugin } from '../http/context.ts';
import {
  deviceOf,
  describe,
  errorResponses,
  noQuery,
  routeOf,
  serviceReadsBody,
} from '../http/route.ts';
import { ADMIN_ROUTES } from '../routes.ts';
import { enrollDevice, issueEnrollmentCode, revokeDevice } from './enroll.ts';
import { issueToken, renewDeviceToken, tokenExpiresAtOf } from './tokens.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

const enrollmentCodeInput = z
  .object({
    storeId: z.string().min(1).max(64),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional(),
  })
  .strict();
const revokeInput = z.object({ deviceId: z.string().min(1).max(64) }).strict();
const auditorTokenInput = z
  .object({
    label: z.string().min(1).max(120),
    /** Days until the token expires (default: the server's auditor token lifetime). */
    ttlDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();
const okResponse = z.object({ ok: z.literal(true) }).strict();
const devicesResponse = z
  .object({
    devices: z.array(
      z
        .object({
          id: z.string(),
          storeId: z.string(),
          name: z.string().nullable(),
          enrolledAt: z.string(),
          revokedAt: z.string().nullable(),
          lastSeq: z.number().int(),
        })
        .strict(),
    ),
  })
  .strict();

export const authRoutes: FeaturePlugin = (app, { ctx }) => {
  const { db, key, now } = ctx;

  app.route({
    ...routeOf(PROTOCOL_ROUTES.enroll),
    // enrollDevice reads the body itself: its messages are what a technician sees.
    validatorCompiler: serviceReadsBody,
    schema: {
      ...describe(PROTOCOL_ROUTES.enroll, 'auth', 'Enroll a device with a single-use code'),
      body: enrollRequest,
      response: { 200: enrollResponse, ...errorResponses },
    },
    handler: (request) => enrollDevice(db, key, request.body, now()),
  });

  app.route({
    ...routeOf(STORE_DEVICES_ROUTES.storeDevices),
    schema: {
      ...describe(
        STORE_DEVICES_ROUTES.storeDevices,
        'auth',
        "The names of the devices enrolled in this device's store",
      ),
      querystring: noQuery,
      response: { 200: storeDevicesResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { storeId } = deviceOf(request.principal);
      const rows = await db
        .selectFrom('devices')
        .select(['id', 'name'])
        .where('store_id', '=', storeId)
        .orderBy('id')
        .limit(MAX_STORE_DEVICES)
        .execute();
      return { devices: rows.map((r) => ({ deviceId: r.id, name: r.name ?? null })) };
    },
  });

  app.route({
    ...routeOf(PROTOCOL_ROUTES.renewToken),
    schema: {
      ...describe(
        PROTOCOL_ROUTES.renewToken,
        'auth',
        'Rotate this device token (also within the grace window after it expired)',
      ),
      querystring: noQuery,
      response: { 200: renewTokenResponse, ...errorResponses },
    },
    handler: (request) =>
      renewDeviceToken(db, deviceOf(request.principal), {
        now: now(),
        policy: ctx.tokenPolicy,
      }),
  });

  app.route({
    ...routeOf(ADMIN_ROUTES.issueEnrollmentCode),
    schema: {
      ...describe(ADMIN_ROUTES.issueEnrollmentCode, 'admin', 'Issue a single-use enrollment code'),
      body: enrollmentCodeInput,
      response: {
        200: z.object({ code: z.string(), expiresAt: isoTime }).strict(),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { result } = await runAdminAction<{ code: string; expiresAt: string }>(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.enrollmentCode.issued',
          at: now(),
          // Never the code itself: the log is read by auditors, the code enrolls a console.
          payload: (out) => ({ storeId: request.body.storeId, expiresAt: out.expiresAt }),
        },
        (d) =>
          issueEnrollmentCode(d, request.body.storeId, {
            ttlMinutes: request.body.ttlMinutes,
            now: now(),
          }),
      );
      await ctx.store.durable();
      return result;
    },
  });

  app.route({
    ...routeOf(ADMIN_ROUTES.revokeDevice),
    schema: {
      ...describe(ADMIN_ROUTES.revokeDevice, 'admin', 'Revoke a device and its token'),
      body: revokeInput,
      response: { 200: okResponse, ...errorResponses },
    },
    handler: async (request) => {
      await runAdminAction(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.device.revoked',
          at: now(),
          payload: { deviceId: request.body.deviceId },
        },
        (d) => revokeDevice(d, request.body.deviceId, now()),
      );
      await ctx.store.durable();
      ctx.deviceKeys.delete(request.body.deviceId);
      return { ok: true as const };
    },
  });

  app.route({
    ...routeOf(ADMIN_ROUTES.issueAuditorToken),
    schema: {
      ...describe(ADMIN_ROUTES.issueAuditorToken, 'admin', 'Issue an expiring auditor token'),
      body: auditorTokenInput,
      response: {
        200: z.object({ token: z.string(), expiresAt: isoTime }).strict(),
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const policy =
        request.body.ttlDays === undefined
          ? ctx.tokenPolicy
          : { ...ctx.tokenPolicy, auditorLifetimeMs: request.body.ttlDays * DAY_MS };
      const { result: token } = await runAdminAction<string>(
        db,
        ctx.key,
        {
          actedBy: adminActedBy(request.principal),
          type: 'admin.auditorToken.issued',
          at: now(),
          payload: (t) => ({ label: request.body.label, expiresAt: tokenExpiresAtOf(t) }),
        },
        (d) => issueToken(d, 'auditor', { label: request.body.label, now: now(), policy }),
      );
      await ctx.store.durable();
      return { token, expiresAt: tokenExpiresAtOf(token) };
    },
  });

  app.route({
    ...routeOf(ADMIN_ROUTES.listDevices),
    schema: {
      ...describe(ADMIN_ROUTES.listDevices, 'admin', 'Enrolled devices with their last seq'),
      querystring: noQuery,
      response: { 200: devicesResponse, ...errorResponses },
    },
    handler: async () => {
      const rows = await db
        .selectFrom('devices')
        .select(['id', 'store_id', 'name', 'enrolled_at', 'revoked_at', 'last_seq'])
        .orderBy('id')
        .execute();
      return {
        devices: rows.map((r) => ({
          id: r.id,
          storeId: r.store_id,
          name: r.name,
          enrolledAt: r.enrolled_at,
          revokedAt: r.revoked_at,
          lastSeq: Number(r.last_seq),
        })),
      };
    },
  });
  return Promise.resolve();
};
