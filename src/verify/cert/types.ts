// Shared result shapes of the certificate checkpoint. Pure data: the command renders them as
// text or JSON, the wizard shows them as the checkpoint of an "upload certificate" step.

export type Status = 'pass' | 'fail' | 'warning';

export interface Verdict {
  /** Stable id of the check (`key-usage`, `san`, `chain`…), for JSON consumers and tests. */
  check: string;
  status: Status;
  message: string;
}

/** What a file turned out to hold (see load.ts). */
export type FileKind =
  | 'certificate'
  | 'undecodable'
  | 'chain'
  | 'csr'
  | 'private-key'
  | 'encrypted-private-key'
  | 'public-key'
  | 'pkcs7'
  | 'pkcs12'
  | 'crl'
  | 'empty'
  | 'unknown';

/** Summary of a certificate or CSR, as the operator would read it in `openssl … -text`. */
export interface Summary {
  kind: 'certificate' | 'csr';
  subject: string;
  commonName?: string;
  sans: string[];
  keyUsage: string[];
  extendedKeyUsage: string[];
  key: string;
  signature: string;
  issuer?: string;
  notBefore?: string;
  notAfter?: string;
}

export interface Report {
  file: string;
  role: string;
  summary: Summary;
  verdicts: Verdict[];
}

export function hasFailure(report: Pick<Report, 'verdicts'>): boolean {
  return report.verdicts.some((v) => v.status === 'fail');
}
