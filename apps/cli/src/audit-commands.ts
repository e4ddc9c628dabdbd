import { NoteSigner } from '@aduan/audit';
import { AppConfig } from '@aduan/platform';
import { DataSource } from 'typeorm';

/** `audit-keygen NAME`: a new checkpoint key pair, printed as the two settings that hold it. */
export async function auditKeygen(args: string[]): Promise<number> {
  const name = args[0];
  if (!name) throw new Error('audit-keygen needs a NAME, e.g. aduan.serangkota.go.id/audit');
  const { signerKey, verifierKey } = NoteSigner.generate(name);
  console.log(`AUDIT_SIGNING_KEY=${signerKey}\nAUDIT_VERIFIER_KEY=${verifierKey}`);
  return 0;
}

export async function auditWitness(_args: string[]): Promise<number> {
  throw new Error('not yet');
}

export async function verifyAudit(_db: DataSource, _env: AppConfig, _args: string[]): Promise<number> {
  throw new Error('not yet');
}
