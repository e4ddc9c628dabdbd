import { canonicalJson, Channel, insertAuditSql, SealedAuditEntry, sealEntry, sha256Hex } from '@aduan/audit';
import { unitCode } from '@aduan/directory';
import { APP_CONFIG, AppConfig, databaseClock, DomainError, JobName, MicroBatcher, outboxMessage, OutboxMessage } from '@aduan/platform';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConflictReferences } from '../conflict/conflict-references';
import { Complaint } from '../domain/complaint';
import { derivePossiblyAccused, PossiblyAccused } from '../domain/possibly-accused';
import { newAccessCode, newTrackingNumber, normalizeAccessCode } from '../domain/tracking-number';
import { complaintAudit } from '../persistence/complaint-audit';
import { complaintRecord, ComplaintRecord, insertComplaintsSql } from '../persistence/complaint-table';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { AccessCodeHasher, ReporterCipher } from '../privacy/reporter-cipher';
import { IntakeReferences } from './intake-references';
import { IntakeResponseCipher } from './intake-response-cipher';
import { IntakeIdempotency, SubmitComplaintCommand, SubmitComplaintResult } from './submit-complaint.command';

const UNIQUE_VIOLATION = '23505';
const INTAKE_KEY_CONSTRAINT = 'intake_key_pkey';
const MAX_ATTEMPTS = 5;

const INTAKE_KEY_TYPES = ['text', 'text', 'text', 'uuid', 'text', 'text', 'timestamptz'];

/** A submission's rows, ready for the intake statement. */
interface IntakeRow {
  complaint: ComplaintRecord;
  audit: SealedAuditEntry;
  routing: OutboxMessage;
  /** the intake_key row of a submission with an Idempotency-Key */
  key: unknown[] | null;
}

/** An idempotent submission: its key and the fingerprint of its body. */
interface Keyed extends IntakeIdempotency {
  bodySha256: string;
}

/**
 * Intake: the complaint row, its first audit entry and the `routing.route-complaint` outbox row,
 * written by one SQL statement (one round trip, one transaction), then the routing job added to
 * BullMQ (see OutboxPublisher). With an idempotency key the same
 * statement also inserts the key: a repeat (even a concurrent one) fails on its primary key, rolls
 * back whole, and gets the stored first answer instead (a second round trip, on that path only).
 *
 * Group commit: submissions without a key that arrive while earlier statements are running wait
 * and are written together by the next statement (MicroBatcher, INTAKE_BATCH_SIZE and
 * INTAKE_BATCHES_IN_FLIGHT), so at a busy hour PostgreSQL commits once per group, not once per
 * complaint; a lone submission is written at once. Each request still answers 201 only after its
 * rows have committed. If a group's statement fails (a tracking-number collision), each
 * submission is written again on its own, so only the one that broke it sees the error.
 */
@CommandHandler(SubmitComplaintCommand)
export class SubmitComplaintHandler implements ICommandHandler<SubmitComplaintCommand, SubmitComplaintResult> {
  private readonly intake: MicroBatcher<IntakeRow, void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly references: IntakeReferences,
    private readonly cipher: ReporterCipher,
    private readonly hasher: AccessCodeHasher,
    private readonly responses: IntakeResponseCipher,
    private readonly writer: ComplaintWriter,
    private readonly conflicts: ConflictReferences,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intake = new MicroBatcher<IntakeRow, void>({
      run: async (rows) => {
        await this.write(rows);
        return rows.map(() => ({ ok: true, value: undefined }));
      },
      maxSize: config.INTAKE_BATCH_SIZE,
      maxInFlight: config.INTAKE_BATCHES_IN_FLIGHT,
    });
  }

  async execute({ input, channel, requestId, idempotency, apiKeyId }: SubmitComplaintCommand): Promise<SubmitComplaintResult> {
    const [kelurahan, category] = await Promise.all([this.references.kelurahanRef(input.kelurahan), this.references.category(input.category)]);
    const errors = [
      ...(kelurahan ? [] : [{ field: 'kelurahan', message: 'unknown kelurahan/desa' }]),
      ...(category ? [] : [{ field: 'category', message: 'unknown category' }]),
    ];
    if (!kelurahan || !category) throw new DomainError('invalid', 'The complaint names something Aduan does not know.', errors);
    const tenant = await this.conflicts.forTenant(kelurahan.tenantCode, input.accused?.unit);
    const accusedUnitId = input.accused?.unit ? tenant.byCode.get(input.accused.unit)?.id : null;
    if (accusedUnitId === undefined) {
      throw new DomainError('invalid', 'The accused unit is not a unit of this kota/kabupaten.', [{ field: 'accused.unit', message: 'unknown unit' }]);
    }
    const possiblyAccused = derivePossiblyAccused({
      accused: input.accused ?? null,
      accusedUnitId,
      text: { source: 'description', body: input.description },
      aboutOfficial: category.aboutOfficial,
      markers: tenant.markers,
      units: tenant.units,
      kelurahanOfficeId: tenant.byCode.get(unitCode.kelurahan(input.kelurahan))?.id ?? null,
      kecamatanOfficeId: tenant.byCode.get(unitCode.kecamatan(kelurahan.kecamatanCode))?.id ?? null,
      officials: tenant.officials,
    });

    const keyed: Keyed | null = idempotency
      ? { ...idempotency, bodySha256: sha256Hex(canonicalJson(input)) }
      : null;

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.insert(command(input, channel, kelurahan, category.aboutOfficial, possiblyAccused), accusedUnitId, possiblyAccused, requestId, input.reporter, keyed, apiKeyId);
      } catch (error) {
        const failure = error as { code?: string; constraint?: string };
        if (failure.code !== UNIQUE_VIOLATION || attempt >= MAX_ATTEMPTS) throw error;
        if (keyed && failure.constraint === INTAKE_KEY_CONSTRAINT) {
          const replayed = await this.replay(keyed);
          if (replayed) return replayed;
        }
        // Otherwise a tracking-number collision (1 in ~10^9 per day), or an expired key just
        // cleared: try again with a new number.
      }
    }
  }

  /**
   * The stored first answer for a key already used; null when the key had expired (it is cleared,
   * so the caller may file anew). A key reused with another body is a conflict.
   */
  private async replay(keyed: Keyed): Promise<SubmitComplaintResult | null> {
    const rows: { body_sha256: string; response_ciphertext: string; response_key_id: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT body_sha256, response_ciphertext, response_key_id, created_at FROM intake_key WHERE scope = $1 AND key = $2`,
      [keyed.scope, keyed.key],
    );
    const row = rows[0];
    if (!row) return null;
    if (keyed.ttlMs !== null && row.created_at.getTime() < Date.now() - keyed.ttlMs) {
      // Only this expired row: a concurrent request may already have claimed the key afresh.
      await this.dataSource.query(`DELETE FROM intake_key WHERE scope = $1 AND key = $2 AND created_at = $3`, [keyed.scope, keyed.key, row.created_at]);
      return null;
    }
    if (row.body_sha256 !== keyed.bodySha256) {
      throw new DomainError('conflict', 'This idempotency key was already used for a different complaint.');
    }
    const stored = this.responses.open({ keyId: row.response_key_id, ciphertext: row.response_ciphertext }, binding(keyed));
    return { trackingNumber: stored.trackingNumber, accessCode: stored.accessCode, status: 'submitted', submittedAt: new Date(stored.submittedAt), replayed: true };
  }

  private async insert(
    complaint: Complaint,
    accusedUnitId: string | null,
    possiblyAccused: PossiblyAccused,
    requestId: string | null,
    reporter: SubmitComplaintCommand['input']['reporter'],
    keyed: Keyed | null,
    apiKeyId: string | null,
  ): Promise<SubmitComplaintResult> {
    const c = complaint.snapshot;
    const accessCode = newAccessCode();
    const sealed = c.reporterOnFile && reporter ? this.cipher.seal(reporter, c.id) : null;
    const row: IntakeRow = {
      complaint: complaintRecord(c, {
        accessCodeHash: this.hasher.hash(normalizeAccessCode(accessCode)),
        reporterCiphertext: sealed?.ciphertext ?? null,
        reporterKeyId: sealed?.keyId ?? null,
        reporterErasedAt: null,
        accusedUnitId,
        apiKeyId,
        assignedAt: null,
        updatedAt: c.submittedAt,
      }),
      audit: sealEntry(
        complaintAudit(c.id, {
          actor: { type: 'resident' },
          event: 'complaint.submitted',
          data: {
            tracking_number: c.trackingNumber,
            category: c.categoryCode,
            kelurahan: c.kelurahanCode,
            anonymous: c.anonymous,
            confidential: c.confidential,
            accused: c.accused !== null,
            // Why the complaint is about an official and whom it may concern: catalog phrases and unit ids only.
            ...(possiblyAccused.flagged ? { possibly_accused: { unit_ids: c.accusedUnitIds, findings: possiblyAccused.findings } } : {}),
            // The hash pins the text without copying the resident's words into the log.
            description_sha256: sha256Hex(c.description),
            ...(apiKeyId ? { api_key_id: apiKeyId } : {}),
          },
          channel: c.channel as Channel,
          requestId,
        }),
        null,
        c.submittedAt,
      ),
      routing: outboxMessage(JobName.RouteComplaint, { complaintId: c.id }),
      key: null,
    };
    if (keyed) {
      const sealedResponse = this.responses.seal(
        { trackingNumber: c.trackingNumber, accessCode, submittedAt: c.submittedAt.toISOString() },
        binding(keyed),
      );
      row.key = [keyed.scope, keyed.key, keyed.bodySha256, c.id, sealedResponse.ciphertext, sealedResponse.keyId, c.submittedAt];
      // Alone: its key's conflict must reach this request as such (see execute).
      await this.write([row]);
    } else {
      await this.intake.submit(row);
    }
    return { trackingNumber: c.trackingNumber, accessCode, status: 'submitted', submittedAt: c.submittedAt, replayed: false };
  }

  /**
   * One statement (autocommit) for the rows of one or more submissions, then their routing jobs
   * to BullMQ (see OutboxPublisher). Rows go as column arrays (SqlStatement.unnest), so a group of
   * any size is the same text: each pooled connection parses and plans each shape (with or
   * without a key) once.
   */
  private async write(rows: readonly IntakeRow[]): Promise<void> {
    const keys = rows.filter((r) => r.key !== null).map((r) => r.key!);
    // Autocommit: the routing jobs go to BullMQ (or the relay is woken) once the statement has run.
    await this.writer.statement('submit-complaint', rows.map((r) => r.routing), (s, outboxSql) => `WITH ${keys.length ? `keyed AS (
        INSERT INTO intake_key (scope, key, body_sha256, complaint_id, response_ciphertext, response_key_id, created_at)
        SELECT * FROM ${s.unnest(INTAKE_KEY_TYPES, keys)}),` : ''}
      inserted AS (${insertComplaintsSql(s, rows.map((r) => r.complaint))}),
      audited AS (${insertAuditSql(s, rows.map((r) => r.audit))})
      ${outboxSql()}`);
  }
}

/** Associated data of a sealed answer: it belongs to this scope and key only. */
function binding(keyed: IntakeIdempotency): string {
  return `${keyed.scope}\n${keyed.key}`;
}

function command(
  input: SubmitComplaintCommand['input'],
  channel: string,
  kelurahan: { tenantCode: string; kecamatanCode: string },
  aboutOfficial: boolean,
  possiblyAccused: PossiblyAccused,
): Complaint {
  const submittedAt = databaseClock.now();
  const accused = input.accused && Object.values(input.accused).some((v) => v) ? input.accused : null;
  return Complaint.submit(
    {
      id: randomUUID(),
      trackingNumber: newTrackingNumber(submittedAt),
      tenantCode: kelurahan.tenantCode,
      categoryCode: input.category,
      kelurahanCode: input.kelurahan,
      kecamatanCode: kelurahan.kecamatanCode,
      description: input.description.trim(),
      address: input.address?.trim() || null,
      lat: input.lat ?? null,
      long: input.long ?? null,
      // The protective settings are the default; the resident may lower them.
      anonymous: input.anonymous ?? true,
      confidential: input.confidential ?? true,
      accused,
      accusedUnitIds: possiblyAccused.unitIds,
      reporterOnFile: Boolean(input.reporter && Object.values(input.reporter).some((v) => v)),
      channel,
      submittedAt,
    },
    aboutOfficial,
  );
}
