// Which device credentials a live run needs, and where their secrets come from: the environment
// variable the inventory names, or, when it is unset and a terminal is there, a masked question
// asked before the wizard opens. Without a terminal a missing one stops the run (exit 4) naming
// the variable. Secrets live only in memory. The IOS enable secret is its own secret: asked on a
// terminal when its variable is unset, never replaced by the login password; without a terminal
// it stays unset and a node whose login lands in user EXEC (`>`) fails naming the variable.
import { ExitCode, UserError } from '../errors.js';
import type { Inventory } from '../inventory/schema.js';
import type { Action, Plan } from '../plan/types.js';
import { sshPlatformSpec } from '../transport/platforms/index.js';

/** Where plain mode (and the live file checks) read the PKCS#12 export password of a local step: no terminal to ask it. */
export const EXPORT_PASSWORD_ENV = 'COLLABSEC_EXPORT_PASSWORD';

export type Remote = Exclude<NonNullable<Action['platform']>, 'local'>;
/** Whose secret: an SSH platform, the AXL application user, or the Control Center Services user. */
export type CredentialKey = Remote | 'axl' | 'controlcenter' | 'cupi';
export type Credential = {
  username: string;
  password: string;
  enableSecret?: string;
  /** For the transport's message when the enable secret is missing or refused (names the variable). */
  enableSecretHint?: string;
};

/** One secret to obtain. `optional` ones are asked for but may be left to their default. */
export interface SecretNeed {
  platform: CredentialKey;
  what: 'password' | 'enable secret';
  username: string;
  env?: string;
  /** Inventory path of the credential, for messages ("credentials.vos"). */
  path: string;
  optional: boolean;
}

const credentialKey: Record<CredentialKey, 'vos' | 'ios' | 'mmp' | 'expressway' | 'axl' | 'controlcenter' | 'cupi'> = { vos: 'vos', ios: 'ios', mmp: 'mmp', xapi: 'expressway', axl: 'axl', controlcenter: 'controlcenter', cupi: 'cupi' };

/**
 * Whose account Control Center Services requests use: credentials.controlcenter when the
 * inventory names one, else the AXL application user (one user with both roles, asked once).
 */
export function controlCenterKey(inventory: Pick<Inventory, 'credentials'>): 'controlcenter' | 'axl' {
  return inventory.credentials.controlcenter !== undefined ? 'controlcenter' : 'axl';
}

/**
 * Whose account CUPI requests use: credentials.cupi when the inventory names one, else the VOS
 * administrator [I: Unity Connection's application administrator is its own account; installs
 * often give it the OS administrator's name and password, and a refusal (401) names credentials.cupi].
 */
export function cupiKey(inventory: Pick<Inventory, 'credentials'>): 'cupi' | 'vos' {
  return inventory.credentials.cupi !== undefined ? 'cupi' : 'vos';
}

/** The platforms the plan reaches over SSH and the secrets each needs (inventory problems thrown). */
export function secretNeeds(plan: Plan, inventory: Pick<Inventory, 'credentials'>): SecretNeed[] {
  const platforms = new Set<CredentialKey>();
  for (const a of plan.steps.flatMap((s) => s.actions)) {
    if (a.host !== undefined && a.platform !== undefined && a.platform !== 'local') platforms.add(a.platform);
    // AXL requests log in as an application user with the AXL role, never the OS administrator.
    if (a.axl !== undefined && a.axl.length > 0) platforms.add('axl');
    // Service activation needs "Standard SERVICEABILITY Administration" [I]; see controlCenterKey.
    if (a.requests?.some((r) => r.api === 'controlcenter') === true) platforms.add(controlCenterKey(inventory));
    // CUPI needs a Unity Connection administrator (System Administrator role); see cupiKey.
    if (a.requests?.some((r) => r.api === 'cupi') === true) platforms.add(cupiKey(inventory));
  }
  const needs: SecretNeed[] = [];
  const missing: string[] = [];
  for (const p of platforms) {
    const key = credentialKey[p];
    const cred = inventory.credentials[key];
    if (!cred) {
      missing.push(`credentials.${key}`);
      continue;
    }
    needs.push({ platform: p, what: 'password', username: cred.username, env: cred.passwordEnv, path: `credentials.${key}`, optional: false });
    // A platform whose login may land in an unprivileged mode escalates with a secret of its own
    // (IOS `enable`, platform data: escalate), never the password. Optional: a login that lands
    // privileged (`#`) needs none.
    if (sshPlatformSpec(p)?.escalate !== undefined) {
      const env = 'enableSecretEnv' in cred ? cred.enableSecretEnv : undefined;
      needs.push({ platform: p, what: 'enable secret', username: cred.username, ...(env !== undefined ? { env } : {}), path: `credentials.${key}.enableSecretEnv`, optional: true });
    }
  }
  if (missing.length > 0) throw new UserError(`--live needs ${missing.join(', ')} in the inventory (username and passwordEnv)`, 'Add the credentials section; passwords are never kept in the inventory.', ExitCode.usage);
  return needs;
}

/**
 * Reads each secret from its environment variable, or asks `ask` (a masked terminal question)
 * when the variable is unset or empty. Without `ask` (no terminal) any missing required secret
 * stops the run with exit 4, naming every variable to set.
 */
export async function resolveCredentials(needs: SecretNeed[], env: NodeJS.ProcessEnv, ask?: (message: string, optional: boolean) => Promise<string>): Promise<Map<CredentialKey, Credential>> {
  const values = new Map<SecretNeed, string>();
  const problems: string[] = [];
  for (const n of needs) {
    const v = n.env !== undefined ? env[n.env] : undefined;
    if (v !== undefined && v !== '') values.set(n, v);
    else if (!n.optional && ask === undefined) problems.push(n.env !== undefined ? `set ${n.env} to the ${n.platform} password of ${n.username}` : `set ${n.path}.passwordEnv in the inventory (${n.platform} password of ${n.username})`);
  }
  if (problems.length > 0)
    throw new UserError(`--live needs the device passwords and there is no terminal to ask them: ${problems.join('; ')}`, `Set ${needs.filter((n) => !n.optional && !values.has(n)).map((n) => n.env ?? `${n.path}.passwordEnv`).join(', ')} in the environment, or run in a terminal to be asked. Passwords are never stored.`, ExitCode.stepFailed);
  for (const n of needs) {
    if (values.has(n) || ask === undefined) continue;
    const hint = n.env !== undefined ? ` (${n.env} is not set)` : '';
    const v = await ask(n.optional ? `${n.platform} enable secret for ${n.username}${hint}, empty = none (only if the login lands at "#"):` : `${n.platform} password for ${n.username}${hint}:`, n.optional).catch((e: unknown) => {
      // Ctrl-C at the question: nothing was started.
      if (e instanceof Error && e.name === 'ExitPromptError') throw new UserError('Stopped at the password question; nothing was sent', undefined, ExitCode.interrupted);
      throw e;
    });
    if (v !== '') values.set(n, v);
  }
  const out = new Map<CredentialKey, Credential>();
  for (const n of needs) {
    if (n.what !== 'password') continue;
    const enable = needs.find((x) => x.platform === n.platform && x.what === 'enable secret');
    const enableValue = enable ? values.get(enable) : undefined;
    const enableHint = enable ? (enable.env !== undefined ? `set ${enable.env} to the ${n.platform} enable secret of ${n.username}` : `name the enable secret's environment variable in ${enable.path} and set it`) : undefined;
    out.set(n.platform, {
      username: n.username,
      password: values.get(n)!,
      ...(enableValue !== undefined ? { enableSecret: enableValue } : {}),
      ...(enableHint !== undefined ? { enableSecretHint: enableHint } : {}),
    });
  }
  return out;
}
