// Shared helpers for transport tests: temp dirs, a known_hosts that already trusts the devices,
// targets and session options.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Action, RenderedCommand } from '../../src/plan/types.js';
import type { LiveTarget, SessionOptions } from '../../src/transport/session.js';
import { formatEntry, knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import type { MiniDevice } from './fixture.js';

export function tmp(prefix = 'collabsec-t-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
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

export const PEM = ['-----BEGIN CERTIFICATE-----', 'MIIBszCCAVmgAwIBAgIUQk', 'ZmFrZSBjZXJ0aWZpY2F0ZQ==', '-----END CERTIFICATE-----'].join('\n') + '\n';
