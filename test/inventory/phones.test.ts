// cucm[].phones (issue 21, S032/S033): what a selection may hold is checked at load, before any
// request is built; the profile names and LSC choice reach the plan through the topology.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { action, planOf } from '../golden/harness.js';

type Inv = Record<string, unknown> & { cucm: { phones?: Record<string, unknown> }[] };
const withPhones = (phones: Record<string, unknown>, edit?: (inv: Inv) => void) =>
  planOf<Inv>((inv) => {
    inv.cucm[0]!.phones = phones;
    edit?.(inv);
  });

describe('cucm[].phones', () => {
  it.each([
    [{ assign: [{ devicePool: 'DP', profile: 'jabber', installLsc: true }] }, 'Jabber and MRA-only endpoints get no LSC'],
    [{ assign: [{ namePattern: 'SEP<x>%', profile: 'lsc' }] }, 'is not a valid name pattern'],
    [{ firstLsc: [{ devicePool: 'DP', models: ['Cisco 8845\n'] }] }, 'phone model'],
    [{ waveSize: 0 }, 'waveSize'],
    [{ assign: [{ devicePool: 'DP', profile: 'other' }] }, 'profile'],
  ])('%j is refused at load', (phones, message) => {
    expect(() => withPhones(phones)).toThrow(UserError);
    expect(() => withPhones(phones)).toThrow(message);
  });

  it('moving phones without phoneSecurityProfiles is refused', () => {
    expect(() =>
      withPhones({ firstLsc: [{ devicePool: 'DP' }] }, (inv) => {
        delete inv.phoneSecurityProfiles;
        (inv.features as Record<string, boolean>).mra = false;
        (inv.features as Record<string, boolean>).mixedMode = false;
      }),
    ).toThrow(/phone security profile names/);
  });

  it('a selection without pool or pattern lists every phone (%), bounded by max; LSC only for LSC profiles', () => {
    const p = withPhones({ max: 300, waveSize: 10, assign: [{ profile: 'lsc' }, { namePattern: 'CSF%', profile: 'jabber' }] });
    const axl = action(p, 'S032', 'us-cm-pub')!.axl!;
    expect(axl.map((r) => [r.select?.criteria, r.select?.max, r.select?.waveSize, r.fields.map((f) => f.name)])).toEqual([
      [[{ name: 'name', value: '%' }], 300, 10, ['securityProfileName', 'certificateOperation']],
      [[{ name: 'name', value: 'CSF%' }], 300, 10, ['securityProfileName']],
    ]);
    expect(action(p, 'S033', 'us-cm-pub')?.axl).toBeUndefined();
  });
});
