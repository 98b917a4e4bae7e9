// IOS configuration modes (cli-facts §2.1 prompts) and the running configuration as a tree of
// lines. Each sub-mode accepts the lines the chapter uses (cli-facts §2.2, §2.7).

export interface ConfigNode {
  line: string;
  children: ConfigNode[];
}

export interface ModeDef {
  id: string;
  /** Mode this one is entered from. */
  from: string;
  enter: RegExp;
  /** Text between the parentheses of the prompt, e.g. "ca-trustpoint" → Router(ca-trustpoint)#. */
  prompt: string;
  accepts: RegExp[];
}

// cli-facts §2.1 prompts; §2.2 trustpoint lines; §2.7 CUBE lines.
export const MODES: ModeDef[] = [
  {
    id: 'ca-trustpoint', from: 'config', enter: /^crypto pki trustpoint (\S+)$/, prompt: 'ca-trustpoint',
    accepts: [
      /^enrollment terminal( pem)?$/, /^subject-name \S.*$/, /^subject-alt-name \S+$/,
      /^revocation-check( (none|crl|ocsp))+$/, /^rsakeypair \S+( \d+)?$/, /^eckeypair \S+$/,
      /^hash (sha1|sha256|sha384|sha512)$/, /^serial-number none$/, /^ip-address none$/, /^fqdn none$/,
      /^chain-validation (continue|stop)( \S+)?$/,
    ],
  },
  {
    id: 'config-sip-ua', from: 'config', enter: /^sip-ua$/, prompt: 'config-sip-ua',
    accepts: [
      /^crypto signaling default (trustpoint \S+|tls-profile \d+)( (strict-cipher|ecdsa-cipher|cn-san-validate server))*$/,
      // ecdsa-cipher on remote-addr [I]: §2.7 names it on the default line only; the plan renders it
      // for a router with an ECDSA key (review-2026 A.14), as on the default line.
      /^crypto signaling remote-addr \S+ \S+ (trustpoint \S+|tls-profile \d+)( client-vtp \S+)?( (strict-cipher|ecdsa-cipher))?$/,
      /^transport tcp tls v1\.2$/, /^(no )?transport (udp|tcp)$/,
    ],
  },
  {
    id: 'conf-voi-serv', from: 'config', enter: /^voice service voip$/, prompt: 'conf-voi-serv',
    accepts: [/^srtp( fallback| pass-thru)?$/, /^(no )?ip address trusted authenticate$/, /^supplementary-service media-renegotiate$/],
  },
  {
    id: 'conf-serv-sip', from: 'conf-voi-serv', enter: /^sip$/, prompt: 'conf-serv-sip',
    accepts: [/^srtp-auth (sha1-80|sha1-32)$/, /^srtp negotiate cisco$/, /^(no )?registrar server( .*)?$/],
  },
  // [I] prompt name of the trusted list sub-mode (not in cli-facts §2.1).
  { id: 'cfg-iptrust-list', from: 'conf-voi-serv', enter: /^ip address trusted list$/, prompt: 'cfg-iptrust-list', accepts: [/^ipv4 \S+( \S+)?$/] },
  {
    id: 'config-dial-peer', from: 'config', enter: /^dial-peer voice (\d+) voip$/, prompt: 'config-dial-peer',
    accepts: [
      /^session protocol sipv2$/, /^session target (ipv4|dns):\S+$/, /^session transport (tcp tls|tcp|udp)$/,
      /^srtp( fallback| pass-thru)?$/, /^voice-class sip srtp-auth (sha1-80|sha1-32)$/,
      /^voice-class sip srtp negotiate cisco$/, /^voice-class sip srtp-crypto \d+$/,
      /^destination-pattern \S+$/, /^incoming called-number \S+$/, /^description .+$/,
    ],
  },
  {
    id: 'config-class', from: 'config', enter: /^voice class (tls-profile|srtp-crypto) \d+$/, prompt: 'config-class',
    accepts: [/^trustpoint \S+$/, /^cipher \d+$/, /^cn-san validate .+$/, /^sni send$/, /^crypto \d+ \S+$/],
  },
  {
    id: 'config-credentials', from: 'config', enter: /^credentials$/, prompt: 'config-credentials',
    accepts: [/^ip source-address \S+ port \d+$/, /^trustpoint \S+$/, /^ctl-service admin \S+ secret \d \S+$/],
  },
];

// Lines that replace an earlier line with the same key instead of adding a second one.
const REPLACING = [
  'enrollment', 'subject-name', 'revocation-check', 'rsakeypair', 'eckeypair', 'hash', 'chain-validation',
  'session protocol', 'session target', 'session transport', 'srtp-auth', 'srtp', 'voice-class sip srtp-auth',
  'voice-class sip srtp-crypto', 'crypto signaling default', 'ip source-address', 'trustpoint', 'description',
  'destination-pattern', 'transport tcp tls', 'cipher',
  // One registrar per router: `registrar server [expires …]` replaces the last, and
  // `no registrar server` removes it whatever its options.
  'registrar server',
];

function keyOf(line: string): string {
  const bare = line.replace(/^no /, '');
  const remote = /^crypto signaling remote-addr \S+ \S+/.exec(bare);
  if (remote) return remote[0];
  if (/^ip address trusted authenticate$/.test(bare)) return bare;
  if (/^transport (udp|tcp)$/.test(bare)) return bare;
  if (/^crypto \d+ /.test(bare)) return bare.split(' ').slice(0, 2).join(' ');
  return REPLACING.find((p) => bare === p || bare.startsWith(`${p} `)) ?? bare;
}

export function child(parent: ConfigNode, line: string): ConfigNode {
  let c = parent.children.find((n) => n.line === line);
  if (!c) {
    c = { line, children: [] };
    parent.children.push(c);
  }
  return c;
}

/** Adds (or replaces by key) a config line; "no X" removes X unless the no-form itself is config. */
export function setLine(parent: ConfigNode, line: string): void {
  const key = keyOf(line);
  const keep = parent.children.filter((n) => keyOf(n.line) !== key);
  if (line.startsWith('no ') && !/^no (ip address trusted authenticate|transport (udp|tcp))$/.test(line)) {
    parent.children = keep;
    return;
  }
  parent.children = [...keep, { line, children: [] }];
}

export function findLine(parent: ConfigNode | undefined, re: RegExp): RegExpExecArray | undefined {
  for (const c of parent?.children ?? []) {
    const m = re.exec(c.line);
    if (m) return m;
  }
  return undefined;
}

export function render(root: ConfigNode, extra: (n: ConfigNode) => string[] = () => []): string[] {
  const out: string[] = [];
  const walk = (n: ConfigNode, depth: number) => {
    out.push(`${' '.repeat(depth)}${n.line}`);
    for (const c of n.children) walk(c, depth + 1);
  };
  for (const top of root.children) {
    if (top.children.length === 0 && !top.line.startsWith('hostname')) {
      out.push(top.line);
      continue;
    }
    walk(top, 0);
    out.push(...extra(top), '!');
  }
  return out;
}
