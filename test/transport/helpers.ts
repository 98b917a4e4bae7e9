// Shared helpers for transport tests: temp dirs, a known_hosts that already trusts the devices,
// targets and session options.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { Action, RenderedCommand } from '../../src/plan/types.js';
import type { LiveTarget, SessionOptions } from '../../src/transport/session.js';
import { formatEntry, knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import type { MiniDevice } from './fixture.js';

const made: string[] = [];
// Temp dirs (keys, known_hosts, transcripts) go after the importing test file (vitest isolates
// files, so this top-level hook joins each file's root suite).
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tmp(prefix = 'collabsec-t-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function trustedOpts(dir: string, devs: MiniDevice[], extra: Partial<SessionOptions> = {}): SessionOptions {
  const file = path.join(dir, 'known_hosts');
  writeFileSync(file, devs.map((d) => formatEntry('127.0.0.1', d.port, d.hostPublicKey)).join(''), { mode: 0o600 });
  return {
    knownHosts: knownHostsStore({ file }),
    confirmHostKey: () => Promise.reject(new Error('unexpected host key question')),
    readyTimeoutMs: 5_000,
    transcriptDir: path.join(dir, 'transcripts'),
    ...extra,
  };
}

export function target(dev: MiniDevice, platform: LiveTarget['platform'], node = 'node1', password = 'secret-pw'): LiveTarget {
  return { node, host: '127.0.0.1', port: dev.port, username: 'admin', auth: { password }, platform };
}

export function cmd(line: string, dialogue: RenderedCommand['dialogue'] = [], timeoutMs = 5_000): RenderedCommand {
  return { line, dialogue, timeoutMs };
}

export function action(targetName: string, platform: Action['platform'], exchanges: RenderedCommand[], configMode = false): Action {
  return { target: targetName, platform, configMode, commands: exchanges.map((e) => e.line), exchanges, pasteFiles: [] };
}

/** A real (self-signed, P-256) CA certificate, in canonical PEM: what the executor types for it. */
export const PEM = `-----BEGIN CERTIFICATE-----
MIIBjzCCATWgAwIBAgIUIV+cGCp5MFB4MzdmjijNCkLRHJ8wCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRY29sbGFic2VjIHRlc3QgQ0EwIBcNMjYxMjA0MTU1MDUyWhgP
MjEyNjExMTAxNTUwNTJaMBwxGjAYBgNVBAMMEWNvbGxhYnNlYyB0ZXN0IENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAECVW3+2QsggDHiOQdCwXuLO5BY4nq81td
2KR8CpD1g7nFaW1amyvN3n/L4RNmZfdQob561gMJmEahiTbl97yRbKNTMFEwHQYD
VR0OBBYEFGJpDn1D6oJxdyPlZYrc3uTaBa+4MB8GA1UdIwQYMBaAFGJpDn1D6oJx
dyPlZYrc3uTaBa+4MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIh
AKqT+Aij3VRZjUqwSuEU6EaNGUYoSclla7zfL3tUOxaIAiAQMuPWyc93tkCVT7fc
BUCIv2BoJuUARE7fI/vPTeQNmg==
-----END CERTIFICATE-----
`;
