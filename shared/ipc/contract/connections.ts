import { z } from 'zod';
import type { PermissionMap } from '../../domain/permissions';
import {
  endpointSchema,
  importChoiceSchema,
  profileFieldsSchema,
  profileLimits,
  profileIdSchema,
  secondFactorAnswerSchema,
  secretChangesSchema,
  type CertificateQuestion,
  type ConnectionList,
  type HostKeyQuestion,
  type ImportPlan,
  type ImportResult,
  type LoginOutcome,
  type ProfileView,
  type RealmsOutcome,
  type SshTestResult,
  type TestOutcome,
} from '../../domain/connections';
import { maxImportChars } from '../limits';
import { issuedId, method, noInput } from './method';

const byProfile = z.object({ id: profileIdSchema }).strict();
/** A password typed at login: bounded, and stored only when `remember` is set. */
const typedSecret = z.string().min(1).max(4096);

export const connectionsMethods = {
  'connections.list': method<ConnectionList>()(noInput),
  /** Creates (no id) or replaces a profile, and applies the secret changes. */
  'connections.save': method<ProfileView>()(
    z.object({ id: profileIdSchema.optional(), fields: profileFieldsSchema, secrets: secretChangesSchema.default({}) }).strict(),
  ),
  /** Deletes the profile, its secrets and its sessions. */
  'connections.delete': method<{ deleted: boolean }>()(byProfile),
  /** The realms of a cluster for the add dialog, before any profile exists. */
  'connections.realms': method<RealmsOutcome>()(z.object({ endpoint: endpointSchema }).strict()),
  /** Logs in once with the given (or the stored) credentials and forgets the session. */
  'connections.test': method<TestOutcome>()(
    z.object({ id: profileIdSchema.optional(), fields: profileFieldsSchema, secrets: secretChangesSchema.default({}) }).strict(),
  ),
  'connections.connect': method<LoginOutcome>()(
    z.object({ id: profileIdSchema, password: typedSecret.optional(), remember: z.boolean().default(false) }).strict(),
  ),
  'connections.secondFactor': method<LoginOutcome>()(z.object({ id: profileIdSchema, answer: secondFactorAnswerSchema }).strict()),
  'connections.disconnect': method<ProfileView>()(byProfile),
  /** Pins the certificate of a question the main process asked about one endpoint of this profile. */
  'connections.trustCertificate': method<ProfileView>()(z.object({ id: profileIdSchema, questionId: issuedId }).strict()),
  /** Reads an endpoint's certificate again (after a mismatch) so the user can review it. */
  'connections.reviewCertificate': method<CertificateQuestion>()(
    z
      .object({
        id: profileIdSchema,
        endpointIndex: z
          .number()
          .int()
          .min(0)
          .max(profileLimits.endpoints - 1),
      })
      .strict(),
  ),
  /** What the logged-in user may do, per ACL path, so the UI can hide the rest. */
  'connections.permissions': method<PermissionMap>()(byProfile),
  'connections.testSsh': method<SshTestResult>()(z.object({ id: profileIdSchema, node: z.string().min(1).max(63) }).strict()),
  'connections.answerHostKey': method<{ answered: boolean }>()(z.object({ questionId: issuedId, accept: z.boolean() }).strict()),
  'connections.export': method<{ fileName: string; content: string }>()(
    z.object({ ids: z.array(profileIdSchema).max(profileLimits.profiles).optional() }).strict(),
  ),
  /** Reads an export file and answers what it would add or change; nothing is applied yet. */
  'connections.previewImport': method<ImportPlan>()(z.object({ content: z.string().max(maxImportChars) }).strict()),
  /** Applies the entries of a reviewed plan the user chose, once. */
  'connections.applyImport': method<ImportResult>()(z.object({ planId: issuedId, choices: z.array(importChoiceSchema).max(profileLimits.profiles) }).strict()),
} as const;

export interface ConnectionsEvents {
  'connections.changed': ConnectionList;
  'connections.hostKeyQuestion': HostKeyQuestion;
  /** A question was answered (in any window) or given up: close its dialog. */
  'connections.hostKeyAnswered': { questionId: string };
}
export const connectionsEventNames = [
  'connections.changed',
  'connections.hostKeyQuestion',
  'connections.hostKeyAnswered',
] as const satisfies readonly (keyof ConnectionsEvents)[];
