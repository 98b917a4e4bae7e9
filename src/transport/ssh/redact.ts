// Streaming redaction for everything a device prints before it reaches a transcript, a hook or
// a result. Secrets arrive split across chunks at any byte (netmiko #2597/#3307, Ansible no_log
// CVEs; reliability.md case 8), so the redactor holds back any tail that could still become a
// secret and releases it only once decided. Redacted: registered literal secrets (passwords,
// key passphrases, online-CA credentials, `secret: true` answers) and PEM private key blocks.
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';

export const REDACTED = '[REDACTED]';
export const REDACTED_KEY = '[REDACTED PRIVATE KEY]';

const BEGIN = '-----BEGIN';
const KEY_HEADER = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KEY_FOOTER = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** Longest footer we recognise ("-----END ENCRYPTED PRIVATE KEY-----" is 35), with room to spare. */
const FOOTER_HOLD = 64;

export class Redactor {
  private secrets: string[] = [];
  private held = '';
  private inKey = false;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Register a secret; its URL-encoded form too, since CA URLs may carry credentials. */
  addSecret(secret: string): void {
    for (const s of [secret, encodeURIComponent(secret)]) {
      if (s.length > 0 && !this.secrets.includes(s)) this.secrets.push(s);
    }
    // Longest first, so a secret that contains another is removed whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** Scrub a complete string (error messages, sent lines): nothing is held back. */
  scrub(text: string): string {
    const r = new Redactor(this.secrets);
    return r.push(text) + r.end();
  }

  /** Feed a chunk; returns the part that is decided and safe to emit. */
  push(chunk: string): string {
    let buf = this.held + chunk;
    let out = '';
    for (;;) {
      if (this.inKey) {
        const m = KEY_FOOTER.exec(buf);
        if (!m) {
          // Everything inside a private key is dropped; keep only what could be a split footer.
          this.held = buf.slice(-FOOTER_HOLD);
          return out;
        }
        buf = buf.slice(m.index + m[0].length);
        this.inKey = false;
        out += REDACTED_KEY;
        continue;
      }
      const hit = this.firstMatch(buf);
      if (hit === null) break;
      out += buf.slice(0, hit.index);
      buf = buf.slice(hit.index + hit.length);
      if (hit.key) this.inKey = true;
      else out += REDACTED;
    }
    const keep = this.holdBack(buf);
    this.held = buf.slice(buf.length - keep);
    return out + buf.slice(0, buf.length - keep);
  }

  /**
   * End of stream (or of a command: its prompt has arrived). A held tail is not a complete
   * secret, so it is released; an unterminated private key is still withheld.
   */
  end(): string {
    const rest = this.inKey ? REDACTED_KEY : this.held;
    this.held = '';
    this.inKey = false;
    return rest;
  }

  private firstMatch(buf: string): { index: number; length: number; key: boolean } | null {
    let best: { index: number; length: number; key: boolean } | null = null;
    for (const s of this.secrets) {
      const i = buf.indexOf(s);
      if (i >= 0 && (best === null || i < best.index)) best = { index: i, length: s.length, key: false };
    }
    const k = KEY_HEADER.exec(buf);
    if (k && (best === null || k.index <= best.index)) best = { index: k.index, length: k[0].length, key: true };
    return best;
  }

  /** How many trailing characters could still grow into a secret or a private-key header. */
  private holdBack(buf: string): number {
    let keep = 0;
    for (const s of this.secrets) {
      for (let k = Math.min(s.length - 1, buf.length); k > keep; k--) {
        if (buf.endsWith(s.slice(0, k))) {
          keep = k;
          break;
        }
      }
    }
    // A "-----BEGIN" whose line has not ended yet may still turn out to be a private key.
    const b = buf.lastIndexOf(BEGIN);
    if (b >= 0 && !buf.includes('\n', b)) keep = Math.max(keep, buf.length - b);
    for (let k = Math.min(BEGIN.length - 1, buf.length); k > keep; k--) {
      if (buf.endsWith(BEGIN.slice(0, k))) {
        keep = k;
        break;
      }
    }
    return keep;
  }
}

/** Append-only transcript file, created 0600 (reliability.md case 10); writes only redacted text. */
export class TranscriptWriter {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** First write error, if any (a full disk must not crash a running step; the caller can check). */
  error: Error | null = null;
  private constructor(
    private readonly fh: fs.FileHandle,
    readonly file: string,
  ) {}

  static async open(file: string): Promise<TranscriptWriter> {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const fh = await fs.open(file, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o600);
    await fh.chmod(0o600);
    return new TranscriptWriter(fh, file);
  }

  /** Writes are queued in order; callers need not await each one. */
  write(text: string): void {
    if (text === '' || this.closed) return;
    this.chain = this.chain
      .then(() => this.fh.appendFile(text))
      .catch((e: unknown) => {
        this.error ??= e instanceof Error ? e : new Error(String(e));
      });
  }

  /** Resolves when everything written so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.fh.close();
  }
}
