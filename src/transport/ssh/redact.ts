// Streaming redaction for everything a device prints before it reaches a transcript, a hook or
// a result. Secrets arrive split across chunks at any byte (netmiko #2597/#3307, Ansible no_log
// CVEs; reliability.md case 8), so the redactor holds back any tail that could still become a
// secret and releases it only once decided. Redacted: registered literal secrets (passwords,
// key passphrases, online-CA credentials, `secret: true` answers), PEM private key blocks, and
// partial echoes of a secret (issue 19): any run of at least three quarters of a secret's
// characters (a device echoing a typed password but its last character, or its first ones).
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { stripControls } from '../../text/controls.js';

export const REDACTED = '[REDACTED]';
export const REDACTED_KEY = '[REDACTED PRIVATE KEY]';

const BEGIN = '-----BEGIN';
const KEY_HEADER = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KEY_FOOTER = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** Longest footer we recognise ("-----END ENCRYPTED PRIVATE KEY-----" is 35), with room to spare. */
const FOOTER_HOLD = 64;
/** Longest text after "-----BEGIN" that could still become a private-key header. */
const HEADER_HOLD = 80;
const HEADER_PREFIX = /^-----BEGIN[A-Z0-9 -]*$/;

/**
 * The shortest part of a secret that is redacted on its own: 3/4 of it, at least 4 characters
 * (a secret of 4 or fewer is redacted only whole). Shorter runs stay: a password beginning with
 * "admin" must not blank out every VOS prompt.
 */
export function partialMinimum(secretLength: number): number {
  return secretLength <= 4 ? secretLength : Math.max(4, Math.ceil(secretLength * 0.75));
}

interface Secret {
  text: string;
  /** partialMinimum(text.length) */
  min: number;
  /** Every run of `min` characters of the secret, with where it starts in it (search anchors). */
  grams: { gram: string; at: number }[];
}

interface Hit {
  index: number;
  length: number;
  key: boolean;
  /** The match reaches the end of the buffer and the next chunk could extend it. */
  open: boolean;
}

export class Redactor {
  private secrets: Secret[] = [];
  private held = '';
  private inKey = false;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /**
   * Register a secret; its URL-encoded form too, since CA URLs may carry credentials, and its
   * sanitised form, since device output loses control and zero-width characters before it
   * gets here.
   */
  addSecret(secret: string): void {
    for (const s of [secret, encodeURIComponent(secret), stripControls(secret)]) {
      if (s.length === 0 || this.secrets.some((x) => x.text === s)) continue;
      const min = partialMinimum(s.length);
      const grams: Secret['grams'] = [];
      for (let at = 0; at + min <= s.length; at++) {
        const gram = s.slice(at, at + min);
        if (!grams.some((g) => g.gram === gram)) grams.push({ gram, at });
      }
      this.secrets.push({ text: s, min, grams });
    }
  }

  /** Scrub a complete string (error messages, sent lines): nothing is held back. */
  scrub(text: string): string {
    const r = new Redactor();
    r.secrets = this.secrets;
    return r.run(text, true);
  }

  /** Feed a chunk; returns the part that is decided and safe to emit. */
  push(chunk: string): string {
    return this.run(this.held + chunk, false);
  }

  /**
   * End of stream (or of a command: its prompt has arrived). A held tail is decided as it
   * stands (a partial secret long enough is redacted, the rest released); an unterminated
   * private key is still withheld.
   */
  end(): string {
    const out = this.run(this.held, true);
    this.held = '';
    this.inKey = false;
    return out;
  }

  private run(input: string, final: boolean): string {
    const buf = input;
    let pos = 0;
    let out = '';
    this.held = '';
    // Next occurrence of each search anchor at or after `pos` (-1: none left), so a chunk full of
    // matches is still scanned once per anchor, not once per match.
    const next = new Map<string, number>();
    for (;;) {
      if (this.inKey) {
        const m = KEY_FOOTER.exec(pos === 0 ? buf : buf.slice(pos));
        if (!m) {
          // Everything inside a private key is dropped; keep only what could be a split footer.
          if (final) return out + REDACTED_KEY;
          this.held = buf.slice(Math.max(pos, buf.length - FOOTER_HOLD));
          return out;
        }
        pos += m.index + m[0].length;
        this.inKey = false;
        out += REDACTED_KEY;
        continue;
      }
      const hit = this.firstMatch(buf, pos, next);
      if (hit === null) break;
      if (hit.open && !final) {
        // It may go on in the next chunk: decide then, so no tail of the secret slips out.
        this.held = buf.slice(hit.index);
        return out + buf.slice(pos, hit.index);
      }
      out += buf.slice(pos, hit.index);
      pos = hit.index + hit.length;
      if (hit.key) this.inKey = true;
      else out += REDACTED;
    }
    const rest = pos === 0 ? buf : buf.slice(pos);
    const keep = final ? 0 : this.holdBack(rest);
    this.held = rest.slice(rest.length - keep);
    return out + rest.slice(0, rest.length - keep);
  }

  private firstMatch(buf: string, from: number, next: Map<string, number>): Hit | null {
    let index = -1;
    for (const s of this.secrets) {
      for (const g of s.grams) {
        let i = next.get(g.gram);
        if (i === undefined || (i >= 0 && i < from)) {
          i = buf.indexOf(g.gram, from);
          next.set(g.gram, i);
        }
        if (i >= 0 && (index < 0 || i < index)) index = i;
      }
    }
    let best: Hit | null = null;
    if (index >= 0) {
      // The longest run of any secret starting there.
      let length = 0;
      let open = false;
      for (const s of this.secrets) {
        for (let at = 0; at + s.min <= s.text.length; at++) {
          let n = 0;
          while (at + n < s.text.length && index + n < buf.length && buf.charCodeAt(index + n) === s.text.charCodeAt(at + n)) n++;
          if (n < s.min) continue;
          if (index + n === buf.length && at + n < s.text.length) open = true;
          length = Math.max(length, n);
        }
      }
      best = { index, length, key: false, open };
    }
    const k = buf.indexOf(BEGIN, from) < 0 ? null : KEY_HEADER.exec(from === 0 ? buf : buf.slice(from));
    if (k && (best === null || from + k.index <= best.index)) best = { index: from + k.index, length: k[0].length, key: true, open: false };
    return best;
  }

  /** How many trailing characters could still grow into a (partial) secret or a private-key header. */
  private holdBack(buf: string): number {
    let keep = 0;
    for (const s of this.secrets) {
      for (let k = Math.min(s.text.length - 1, buf.length); k > keep; k--) {
        // The tail must be a run of the secret that can still grow to `min` characters or more.
        const at = s.text.indexOf(buf.slice(buf.length - k));
        if (at >= 0 && at + k < s.text.length && s.text.length - at >= s.min) {
          keep = k;
          break;
        }
      }
    }
    // A "-----BEGIN" whose header is still arriving may turn out to be a private key.
    const b = buf.lastIndexOf(BEGIN);
    if (b >= 0 && buf.length - b <= HEADER_HOLD && HEADER_PREFIX.test(buf.slice(b))) keep = Math.max(keep, buf.length - b);
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
