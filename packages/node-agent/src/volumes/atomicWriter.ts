/**
 * The kubelet's volume layout and its `AtomicWriter`: how configMap, secret,
 * downwardAPI and projected volumes put their files on the node so that a
 * container reading the volume sees either all old or all new contents.
 */
import type { NodeFilesystem } from '@keelson/cri';

/** The kubelet's root directory on the node. */
export const KUBELET_ROOT = '/var/lib/kubelet';

/** `/var/lib/kubelet/pods/<uid>`: everything of one pod on the node. */
export const podDir = (uid: string): string => `${KUBELET_ROOT}/pods/${uid}`;

/** `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>`, the kubelet's layout. */
export const volumeDir = (uid: string, plugin: string, name: string): string =>
  `${podDir(uid)}/volumes/kubernetes.io~${plugin}/${name}`;

/** One file of a volume's payload: its path inside the volume, content and mode. */
export interface PayloadFile {
  content: string;
  mode: number;
}

/** A volume's files by relative path (`key`, or an item's `path` such as `conf/app.yaml`). */
export type Payload = Map<string, PayloadFile>;

const DATA = '..data';

async function currentPayload(fs: NodeFilesystem, dir: string, prefix = ''): Promise<Payload> {
  const out: Payload = new Map();
  const base = `${dir}/${DATA}${prefix}`;
  if ((await fs.stat(base))?.type !== 'Directory') return out;
  for (const name of await fs.readdir(base)) {
    const stat = await fs.stat(`${base}/${name}`);
    const rel = `${prefix.slice(1)}${prefix ? '/' : ''}${name}`;
    if (stat?.type === 'Directory') {
      for (const [path, file] of await currentPayload(fs, dir, `${prefix}/${name}`)) out.set(path, file);
    } else if (stat !== undefined) out.set(rel, { content: await fs.readFile(`${base}/${name}`), mode: stat.mode });
  }
  return out;
}

function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [path, file] of a) {
    const other = b.get(path);
    if (other === undefined || other.content !== file.content || other.mode !== file.mode) return false;
  }
  return true;
}

const topLevel = (path: string): string => path.split('/')[0] as string;

/**
 * Writes `payload` into `dir` as the kubelet's AtomicWriter does: the files
 * go into a fresh `..<timestamp>` directory, `..data` is switched to it with
 * one rename, each top-level name is a symlink into `..data`, and the old
 * directory is removed. Nothing changes when the payload is what is there.
 *
 * @returns whether anything was written.
 */
export async function writeAtomically(
  fs: NodeFilesystem,
  dir: string,
  payload: Payload,
  now: number,
  sequence: number,
): Promise<boolean> {
  await fs.mkdir(dir, 0o777);
  const current = await currentPayload(fs, dir);
  if (samePayload(current, payload) && (await fs.lstat(`${dir}/${DATA}`)) !== undefined) return false;
  // the kubelet's name is `..2006_01_02_15_04_05.` plus random digits; a sequence keeps it deterministic
  const fresh = `..${new Date(now).toISOString().slice(0, 19).replace(/[-T:]/g, '_')}.${String(sequence).padStart(9, '0')}`;
  const freshDir = `${dir}/${fresh}`;
  await fs.mkdir(freshDir, 0o755);
  for (const [path, file] of [...payload].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parent = path.includes('/') ? `${freshDir}/${path.slice(0, path.lastIndexOf('/'))}` : freshDir;
    await fs.mkdir(parent, 0o755);
    await fs.writeFile(`${freshDir}/${path}`, file.content, file.mode);
  }
  const old = (await fs.lstat(`${dir}/${DATA}`)) === undefined ? undefined : await fs.readlink(`${dir}/${DATA}`);
  await fs.symlink(fresh, `${dir}/..data_tmp`);
  await fs.rename(`${dir}/..data_tmp`, `${dir}/${DATA}`);
  const wanted = new Set([...payload.keys()].map(topLevel));
  for (const name of wanted) {
    if ((await fs.lstat(`${dir}/${name}`)) === undefined) await fs.symlink(`${DATA}/${name}`, `${dir}/${name}`);
  }
  for (const name of await fs.readdir(dir)) {
    if (!name.startsWith('..') && !wanted.has(name)) await fs.remove(`${dir}/${name}`);
  }
  if (old !== undefined) await fs.remove(`${dir}/${old}`);
  return true;
}
