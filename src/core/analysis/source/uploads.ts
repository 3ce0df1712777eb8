import type { Finding } from '../../state/analysis-schema.js';
import { args, calleeLast, calleeRoot, objectProp, stringValue, unwrap, type Node } from './ast.js';
import { localsOf } from './scan.js';
import { finding, nodeEvidence, type SourceRun } from './types.js';

/** A temporary directory (`os.tmpdir()`, `/tmp/...`): files land there only to be processed and moved on. */
function isTemp(n: Node | null): boolean {
  const u = unwrap(n);
  if (u?.type === 'CallExpression') return calleeLast(u) === 'tmpdir';
  const v = stringValue(u);
  return v !== null && /^\/tmp(\/|$)/.test(v);
}

const target = (dir: Node | null) => ({ dir: stringValue(dir), temp: isTemp(dir) });

/** Where a multer or formidable call keeps uploaded files on the container's disk, if it does. */
function diskTarget(call: Node, multer: string[], formidable: string[]): { dir: string | null; temp: boolean } | null {
  const root = calleeRoot(call) ?? '';
  const last = calleeLast(call);
  const opts = args(call)[0] ?? null;
  if (multer.includes(root)) {
    // multer.diskStorage({ destination }) and multer({ dest }) write to disk; memoryStorage does not.
    if (last === 'diskStorage') return target(objectProp(opts, 'destination'));
    if (root === last) {
      const dest = objectProp(opts, 'dest');
      if (dest) return target(dest);
      const storage = unwrap(objectProp(opts, 'storage'));
      if (storage?.type === 'CallExpression' && calleeLast(storage) === 'diskStorage') return target(objectProp(args(storage)[0] ?? null, 'destination'));
    }
    return null;
  }
  // formidable({ uploadDir }) / new IncomingForm({ uploadDir }): kept where the code chose (the temp dir is fine).
  if (formidable.includes(root)) {
    const dir = objectProp(opts, 'uploadDir');
    return dir ? target(dir) : null;
  }
  return null;
}

/**
 * Uploads written to the container's own disk are lost on every restart and each replica sees only its own
 * (checklist: replicas are safe for uploads). Files on a persistent volume or in object storage are not.
 */
export function uploadFindings(run: SourceRun): Finding[] {
  for (const s of run.astScans) {
    const multer = localsOf(s, (src) => src === 'multer');
    const formidable = localsOf(s, (src) => src === 'formidable');
    if (!multer.length && !formidable.length) continue;
    for (const call of [...s.calls, ...s.news]) {
      const t = diskTarget(call, multer, formidable);
      if (!t || t.temp) continue;
      const where = t.dir ? `'${t.dir}'` : 'a directory on disk';
      const mount = t.dir && !t.dir.startsWith('/') ? `/app/${t.dir.replace(/^\.\//, '').replace(/\/$/, '')}` : (t.dir ?? '/app/uploads');
      return [
        finding(
          'local-uploads',
          'scaling',
          'warn',
          `Uploads are written to the container's disk (${where}): they are lost on every restart, and each replica sees only its own.`,
          `Store uploads in object storage (S3-compatible, such as Sealos Object Storage), or render with --volume ${mount}:1Gi and keep one replica.`,
          [nodeEvidence(s, call.start, 'upload-disk-storage')],
        ),
      ];
    }
  }
  return [];
}

