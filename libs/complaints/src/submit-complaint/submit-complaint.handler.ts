import { complaintStream, insertAuditSql, sealEntry } from '@aduan/audit';
import { DomainError, insertOutboxSql, JobName, outboxMessage, SqlStatement } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Complaint } from '../domain/complaint';
import { newAccessCode, newTrackingNumber, normalizeAccessCode } from '../domain/tracking-number';
import { AccessCodeHasher, ReporterCipher } from '../privacy/reporter-cipher';
import { IntakeReferences } from './intake-references';
import { SubmitComplaintCommand, SubmitComplaintResult } from './submit-complaint.command';

const UNIQUE_VIOLATION = '23505';

/**
 * Intake: the complaint row, its first audit entry and the `routing.route-complaint` outbox row,
 * written by one SQL statement (one round trip, one transaction).
 */
@CommandHandler(SubmitComplaintCommand)
export class SubmitComplaintHandler implements ICommandHandler<SubmitComplaintCommand, SubmitComplaintResult> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly references: IntakeReferences,
    private readonly cipher: ReporterCipher,
    private readonly hasher: AccessCodeHasher,
  ) {}

  async execute({ input, channel, requestId }: SubmitComplaintCommand): Promise<SubmitComplaintResult> {
    const [kelurahan, category] = await Promise.all([this.references.kelurahanRef(input.kelurahan), this.references.category(input.category)]);
    const errors = [
      ...(kelurahan ? [] : [{ field: 'kelurahan', message: 'unknown kelurahan/desa' }]),
      ...(category ? [] : [{ field: 'category', message: 'unknown category' }]),
    ];
    if (!kelurahan || !category) throw new DomainError('invalid', 'The complaint names something Aduan does not know.', errors);
    const accusedUnitId = input.accused?.unit ? await this.resolveAccusedUnit(input.accused.unit, kelurahan.tenantCode) : null;

    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.insert(command(input, channel, kelurahan, category.aboutOfficial), accusedUnitId, requestId, input.reporter);
      } catch (error) {
        // A tracking-number collision (1 in ~10^9 per day) is retried with a new number.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION && attempt < 3) continue;
        throw error;
      }
    }
  }

  private async insert(
    complaint: Complaint,
    accusedUnitId: string | null,
    requestId: string | null,
    reporter: SubmitComplaintCommand['input']['reporter'],
  ): Promise<SubmitComplaintResult> {
    const c = complaint.snapshot;
    const accessCode = newAccessCode();
    const hasReporter = reporter && Object.values(reporter).some((v) => v);
    const sealed = hasReporter ? this.cipher.seal(reporter, c.id) : null;
    const audit = sealEntry(
      {
        stream: complaintStream(c.id),
        actor: { type: 'resident' },
        event: 'complaint.submitted',
        data: {
          tracking_number: c.trackingNumber,
          category: c.categoryCode,
          kelurahan: c.kelurahanCode,
          anonymous: c.anonymous,
          confidential: c.confidential,
          accused: c.accused !== null,
          // The hash pins the text without copying the resident's words into the log.
          description_sha256: createHash('sha256').update(c.description).digest('hex'),
        },
        channel: c.channel as 'web',
        requestId,
      },
      null,
      c.submittedAt,
    );
    const s = new SqlStatement();
    const complaintRow = s.row([
      c.id, c.trackingNumber, this.hasher.hash(normalizeAccessCode(accessCode)), c.tenantCode, c.categoryCode,
      c.kelurahanCode, c.kecamatanCode, c.description, c.address, c.lat, c.long, c.anonymous, c.confidential,
      sealed?.ciphertext ?? null, sealed?.keyId ?? null, c.accused ? JSON.stringify(c.accused) : null, accusedUnitId,
      c.status, c.channel, c.submittedAt, c.submittedAt,
    ]);
    const sql = `WITH inserted AS (
        INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
          description, address, lat, long, anonymous, confidential, reporter_ciphertext, reporter_key_id, accused, accused_unit_id,
          status, channel, submitted_at, updated_at)
        VALUES ${complaintRow}),
      audited AS (${insertAuditSql(s, [audit])})
      ${insertOutboxSql(s, [outboxMessage(JobName.RouteComplaint, { complaintId: c.id })])}`;
    await this.dataSource.query(sql, s.params);
    return { trackingNumber: c.trackingNumber, accessCode, status: 'submitted', submittedAt: c.submittedAt };
  }

  private async resolveAccusedUnit(code: string, tenantCode: string): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM unit WHERE code = $1 AND tenant_code = $2`, [code, tenantCode]);
    if (rows.length === 0) {
      throw new DomainError('invalid', 'The accused unit is not a unit of this kota/kabupaten.', [{ field: 'accused.unit', message: 'unknown unit' }]);
    }
    return rows[0].id;
  }
}

function command(
  input: SubmitComplaintCommand['input'],
  channel: string,
  kelurahan: { tenantCode: string; kecamatanCode: string },
  aboutOfficial: boolean,
): Complaint {
  const submittedAt = new Date();
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
      // The protective settings are the default (ARCHITECTURE.md, Privacy); the resident may lower them.
      anonymous: input.anonymous ?? true,
      confidential: input.confidential ?? true,
      accused,
      channel,
      submittedAt,
    },
    aboutOfficial,
  );
}
