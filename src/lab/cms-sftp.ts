// In-memory SFTP root of the simulated CMS MMP (cli-facts §3: certificates and keys are
// uploaded by SFTP into the root, e.g. /CMS.key, and show up in `pki list`).
import ssh2 from 'ssh2';
import type { Attributes, SFTPWrapper } from 'ssh2';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

/** "/a.key", "./a.key" and "a.key" all name the same root file; folders are not simulated. */
export function rootName(path: string): string | undefined {
  const n = path.replace(/^(\.\/|\/)+/, '').replace(/^\.$/, '');
  return n.includes('/') ? undefined : n;
}

function fileAttrs(size: number): Attributes {
  const now = Math.floor(Date.now() / 1000);
  return { mode: 0o100600, uid: 0, gid: 0, size, atime: now, mtime: now };
}

function dirAttrs(): Attributes {
  const now = Math.floor(Date.now() / 1000);
  return { mode: 0o040700, uid: 0, gid: 0, size: 0, atime: now, mtime: now };
}

export function serveSftp(files: Map<string, Buffer>, sftp: SFTPWrapper): void {
  const handles = new Map<number, { name: string; dir: boolean; listed?: boolean }>();
  let next = 1;
  const newHandle = (h: { name: string; dir: boolean }) => {
    const id = next++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const get = (b: Buffer) => (b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined);

  sftp.on('OPEN', (req, filename, flags) => {
    const name = rootName(filename);
    if (!name) return sftp.status(req, STATUS_CODE.NO_SUCH_FILE);
    if (flags & OPEN_MODE.WRITE) {
      if (flags & OPEN_MODE.TRUNC || !files.has(name)) files.set(name, Buffer.alloc(0));
    } else if (!files.has(name)) return sftp.status(req, STATUS_CODE.NO_SUCH_FILE);
    sftp.handle(req, newHandle({ name, dir: false }));
  });
  sftp.on('WRITE', (req, handle, offset, data) => {
    const h = get(handle);
    if (!h || h.dir) return sftp.status(req, STATUS_CODE.FAILURE);
    const cur = files.get(h.name) ?? Buffer.alloc(0);
    const out = Buffer.alloc(Math.max(cur.length, offset + data.length));
    cur.copy(out);
    data.copy(out, offset);
    files.set(h.name, out);
    sftp.status(req, STATUS_CODE.OK);
  });
  sftp.on('READ', (req, handle, offset, len) => {
    const h = get(handle);
    const data = h ? files.get(h.name) : undefined;
    if (!data) return sftp.status(req, STATUS_CODE.FAILURE);
    if (offset >= data.length) return sftp.status(req, STATUS_CODE.EOF);
    sftp.data(req, data.subarray(offset, offset + len));
  });
  sftp.on('FSTAT', (req, handle) => {
    const h = get(handle);
    if (!h) return sftp.status(req, STATUS_CODE.FAILURE);
    sftp.attrs(req, h.dir ? dirAttrs() : fileAttrs(files.get(h.name)?.length ?? 0));
  });
  sftp.on('FSETSTAT', (req) => sftp.status(req, STATUS_CODE.OK));
  sftp.on('SETSTAT', (req) => sftp.status(req, STATUS_CODE.OK));
  sftp.on('CLOSE', (req, handle) => {
    const ok = get(handle) !== undefined;
    if (ok) handles.delete(handle.readUInt32BE(0));
    sftp.status(req, ok ? STATUS_CODE.OK : STATUS_CODE.FAILURE);
  });
  sftp.on('OPENDIR', (req, path) => {
    if (rootName(path) !== '') return sftp.status(req, STATUS_CODE.NO_SUCH_FILE);
    sftp.handle(req, newHandle({ name: '', dir: true }));
  });
  sftp.on('READDIR', (req, handle) => {
    const h = get(handle);
    if (!h?.dir) return sftp.status(req, STATUS_CODE.FAILURE);
    if (h.listed) return sftp.status(req, STATUS_CODE.EOF);
    h.listed = true;
    const names = [...files.entries()].map(([filename, data]) => ({
      filename,
      longname: `-rw-------    1 admin    admin    ${String(data.length).padStart(8)} Jan  1 00:00 ${filename}`,
      attrs: fileAttrs(data.length),
    }));
    if (names.length === 0) return sftp.status(req, STATUS_CODE.EOF);
    sftp.name(req, names);
  });
  const stat = (req: number, path: string) => {
    const name = rootName(path);
    if (name === '') return sftp.attrs(req, dirAttrs());
    const data = name === undefined ? undefined : files.get(name);
    if (!data) return sftp.status(req, STATUS_CODE.NO_SUCH_FILE);
    sftp.attrs(req, fileAttrs(data.length));
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('REALPATH', (req, path) => {
    const name = rootName(path);
    const full = name ? `/${name}` : '/';
    sftp.name(req, [{ filename: full, longname: full, attrs: name ? fileAttrs(0) : dirAttrs() }]);
  });
  sftp.on('REMOVE', (req, path) => {
    const name = rootName(path);
    sftp.status(req, name && files.delete(name) ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE);
  });
  sftp.on('RENAME', (req, from, to) => {
    const a = rootName(from);
    const b = rootName(to);
    const data = a ? files.get(a) : undefined;
    if (!data || !b) return sftp.status(req, STATUS_CODE.NO_SUCH_FILE);
    files.delete(a ?? '');
    files.set(b, data);
    sftp.status(req, STATUS_CODE.OK);
  });
  sftp.on('MKDIR', (req) => sftp.status(req, STATUS_CODE.OP_UNSUPPORTED));
  sftp.on('RMDIR', (req) => sftp.status(req, STATUS_CODE.OP_UNSUPPORTED));
}
