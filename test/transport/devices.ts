// Scripted VOS, IOS and MMP devices on top of fixture.ts. Texts follow cli-facts.md (cited).
import { createHash } from 'node:crypto';
import { startMini, type MiniDevice, type Reply } from './fixture.js';

/** IOS prints fingerprints in 8-digit upper-case groups (cli-facts §2.3; grouping as the lab prints it, [I]). */
function fingerprints(pem: string[]): { md5: string; sha1: string } {
  const der = Buffer.from(pem.filter((l) => !l.startsWith('-----')).join(''), 'base64');
  const g = (algo: string) => (createHash(algo).update(der).digest('hex').toUpperCase().match(/.{8}/g) ?? []).join(' ');
  return { md5: g('md5'), sha1: g('sha1') };
}

const VOS_BANNER = 'Command Line Interface is starting up, please wait ...\n\n   Welcome to the Platform Command Line Interface\n\n'; // cli-facts §1.1

export function startVos(o: { password?: string; restartMs?: number; hostKey?: string; methods?: ('password' | 'keyboard-interactive')[] } = {}): Promise<MiniDevice> {
  return startMini({
    ...o,
    banner: VOS_BANNER,
    // cli-facts §1.1: prompt may arrive with `\x1b[K` and bare CR before it.
    prompt: () => '\r\x1b[Kadmin:',
    handler: (l, dev): Reply => {
      const st = dev.state as { mode?: number; trust?: string[] };
      if (l === 'set cli pagination off') return 'Automatic pagination is turned off';
      let m = /^set cert import trust (\S+)$/.exec(l);
      if (m) {
        const unit = m[1]!;
        return {
          text: 'Paste the Certificate and Hit Enter', // cli-facts §1.3
          paste: (pem) => {
            if (pem[0] !== '-----BEGIN CERTIFICATE-----' || pem[pem.length - 1] !== '-----END CERTIFICATE-----') return 'Executed command unsuccessfully';
            (st.trust ??= []).push(unit);
            return `Successfully imported certificate for ${unit}.\nPlease restart services related to ${unit} for the new certificate to become active.`;
          },
        };
      }
      if (l === 'utils ctl set-cluster mixed-mode') {
        return {
          text: 'This operation will set the cluster to Mixed mode.\nDo you want to continue? (y/n):', // cli-facts §1.4
          ask: (a) => {
            if (a !== 'y') return 'Operation cancelled';
            st.mode = 1;
            return 'Moving Cluster to Mixed Mode\nCluster set to Mixed Mode\nYou must reset all phones to ensure they received the updated CTL file.';
          },
        };
      }
      if (/processconfig where paramname='ClusterSecurityMode'/.test(l)) return `paramname           paramvalue\n=================== ==========\nClusterSecurityMode ${st.mode ?? 0}`; // §1.4
      m = /^utils service restart (.+)$/.exec(l);
      if (m) return { text: `${m[1]!}[STOPPING]\n`, delayMs: o.restartMs ?? 200, then: `${m[1]!}[STARTING]\n${m[1]!}[STARTED]` }; // §1.6
      if (l === 'utils service list') return 'Requesting service status, please wait...\nCisco CallManager[STARTED]\nCisco Tftp[STARTED]\nCisco Tomcat[STARTED]\nCisco DRF Local[STOPPED]  Commanded Out of Service';
      if (l === 'show long') {
        // §1.2 paging prompt 1, ANSI bold.
        return { text: 'line 1\nline 2\n\x1b[1mPress <enter> for 1 line, <space> for one page, or <q> to quit\x1b[0m', key: () => 'line 3\nline 4' };
      }
      if (l === 'show secret') return `ca credential is ${String(dev.state.caSecret)} ok`;
      return 'Executed command unsuccessfully'; // §1.1
    },
  });
}

export function startIos(o: { password?: string } = {}): Promise<MiniDevice> {
  return startMini({
    ...o,
    prompt: (dev) => `cube1${(dev.state.mode as string | undefined) ?? ''}#`, // cli-facts §2.1
    handler: (l, dev): Reply => {
      const st = dev.state as { mode?: string; config?: string[]; saved?: number };
      if (/^terminal (length|width) 0$/.test(l)) return '';
      if (l === 'configure terminal') {
        st.mode = '(config)';
        return 'Enter configuration commands, one per line.  End with CNTL/Z.'; // §2.1
      }
      if (l === 'end') {
        st.mode = '';
        return '';
      }
      if (l === 'write memory') {
        st.saved = (st.saved ?? 0) + 1;
        return 'Building configuration...\n[OK]'; // §2.1
      }
      if (st.mode === undefined || st.mode === '') return "           ^\n% Invalid input detected at '^' marker.";
      if (/^crypto pki trustpoint \S+$/.test(l)) {
        st.mode = '(ca-trustpoint)';
        return '';
      }
      if (l === 'exit') {
        st.mode = '(config)';
        return '';
      }
      let m = /^crypto pki authenticate (\S+)$/.exec(l);
      if (m) {
        const tp = m[1]!;
        return {
          // §2.3 authenticate dialogue
          text: 'Enter the base 64 encoded CA certificate.\nEnd with a blank line or the word "quit" on a line by itself',
          paste: (pem): Reply => {
            // Test hooks: a device that shows another certificate's fingerprint (what it read is
            // not what was pasted), or an error before (ERR-ASK) or instead of (ERR) the question.
            const fp = (dev.state.showFingerprint as { md5: string; sha1: string } | undefined) ?? fingerprints(pem);
            const shown = `Certificate has the following attributes:\n       Fingerprint MD5: ${fp.md5}\n      Fingerprint SHA1: ${fp.sha1}\n\n`;
            if (tp === 'ERR') return '% Error in receiving Certificate Authority certificate.';
            const err = tp === 'ERR-ASK' ? '% Error in receiving Certificate Authority certificate.\n' : '';
            return {
              text: `${err}${shown}% Do you accept this certificate? [yes/no]: `,
              ask: (a) => (a === 'yes' ? 'Trustpoint CA certificate accepted.\n% Certificate successfully imported' : '% CA certificate not accepted'),
            };
          },
        };
      }
      m = /^crypto pki enroll (\S+)$/.exec(l);
      if (m) {
        // §2.4 enroll questions, in order
        return {
          text: '% Start certificate enrollment ..\n% The subject name in the certificate will include: CN=cube1.example.com\n% Include the router serial number in the subject name? [yes/no]: ',
          ask: () => ({
            text: '% Include an IP address in the subject name? [no]: ',
            ask: () => ({
              text: 'Display Certificate Request to terminal? [yes/no]: ',
              ask: () => ({
                text: 'Certificate Request follows:\n\n-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n\n---End - This line not part of the certificate request---\n\nRedisplay enrollment request? [yes/no]: ',
                ask: () => '',
              }),
            }),
          }),
        };
      }
      (st.config ??= []).push(l);
      return '';
    },
  });
}

export function startMmp(o: { password?: string } = {}): Promise<MiniDevice> {
  return startMini({
    ...o,
    prompt: () => 'cms1>', // cli-facts §3
    handler: (l): Reply => {
      if (l === 'pki list') return 'User supplied certificates and keys:\ncms.key\ncms.crt\nroot.crt'; // §3
      if (/^callbridge certs /.test(l)) return 'SUCCESS: Key and certificate pair match'; // §3
      if (/^webadmin certs /.test(l)) return 'FAILURE: TLS port set but no certificates configured';
      return 'Unknown command';
    },
  });
}
