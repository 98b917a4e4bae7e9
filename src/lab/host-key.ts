// ssh2's generateKeyPairSync('ed25519') strips leading zero bytes from the public key and so
// produces a key its own parseKey rejects about once in 256 (mscdex/ssh2 issues #1390, #1513).
// Generate until both halves parse, so simulators and tests never fail on a rare key.
import ssh2 from 'ssh2';

const { utils } = ssh2;

export function generateEd25519(): { private: string; public: string } {
  for (let i = 0; i < 64; i++) {
    const k = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(k.private) instanceof Error) && !(utils.parseKey(k.public) instanceof Error)) return k;
  }
  throw new Error('could not generate a parseable ed25519 host key');
}
