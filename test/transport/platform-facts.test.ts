// Issue 20 slice 4: per-platform facts (forbidden characters, the health gate, the service probes)
// live in the platform data (src/transport/platforms/*.ts); the engine, the rolling runner and the
// live port read them and never test a platform's name.
import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { ios, mmp, vos, xapi } from '../../src/transport/platforms/index.js';

describe('platform facts are data', () => {
  it('no module outside the platform data decides by a platform\'s name', () => {
    const files = globSync(['src/transport/**/*.ts', 'src/wizard/**/*.ts'], { ignore: ['src/transport/platforms/**'] });
    expect(files.length).toBeGreaterThan(10);
    const named = files.filter((f) => /spec\.name\s*[!=]==|platform\s*[!=]==\s*'(?:vos|ios|mmp|xapi)'|endsWith\('publisher'\)/.test(readFileSync(f, 'utf8')));
    expect(named).toEqual([]);
  });

  it('VOS restarts services and gates on them (cli-facts §1.6); the others have no service gate', () => {
    const s = vos.services!;
    expect(s.restartLine.exec('utils service restart Cisco CallManager')?.[1]).toBe('Cisco CallManager');
    expect(s.health).toEqual({ command: 'utils service list', parser: 'vos-services-started' });
    expect(s.phones.services).toEqual(['Cisco CallManager', 'Cisco Tftp']);
    expect(s.startTimes.row.exec('  4711  10:02:03  Cisco Tftp ')?.slice(1)).toEqual(['10:02:03', 'Cisco Tftp']);
    for (const p of [ios, mmp, xapi]) expect(p.services, p.name).toBeUndefined();
  });

  it('only IOS forbids "?" (context help, cli-facts §2.1)', () => {
    expect(ios.forbiddenChars?.map((f) => f.char)).toEqual(['?']);
    for (const p of [vos, mmp, xapi]) expect(p.forbiddenChars ?? [], p.name).toEqual([]);
  });
});
