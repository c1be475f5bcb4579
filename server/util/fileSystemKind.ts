// Whether a folder lies on one of the kernel's file systems (/proc, /sys, /dev …), which hold
// kernel objects and not a user's files: nothing is written there.  Node's recursive mkdir of a
// missing folder under /proc even loops for ever.  Linux's statfs magic numbers tell them apart,
// except a devtmpfs, which shares tmpfs's number: /proc/self/mountinfo names it.
import { readFileSync, realpathSync, statfsSync } from 'node:fs';

const TMPFS_MAGIC = 0x01021994;

/** statfs's f_type of the kernel's file systems (linux/magic.h), by name. */
const KERNEL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
  [0xf97cff8c, 'selinuxfs'],
  [0x6e736673, 'nsfs'],
]);

function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The type /proc/self/mountinfo gives to the mount holding `folder` (a real path), if it can be read. */
function mountTypeOf(folder: string): string | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return undefined;
  }
  let best: { point: string; type: string } | undefined;
  for (const line of text.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator < 0) continue;
    const point = unescapeMountPath(line.slice(0, separator).split(' ')[4] ?? '');
    const inside = point === '/' || folder === point || folder.startsWith(`${point}/`);
    // Later lines mount over earlier ones at the same point.
    if (inside && (!best || point.length >= best.point.length)) best = { point, type: line.slice(separator + 3).split(' ')[0] };
  }
  return best?.type;
}

/**
 * The name of the kernel file system that the existing folder `folder` lies on, or undefined for
 * an ordinary one (a disk, a tmpfs, a network share) or where the type cannot be found out.
 */
export function kernelFileSystem(folder: string): string | undefined {
  if (process.platform !== 'linux' || typeof statfsSync !== 'function') return undefined;
  let type: number;
  try {
    type = Number(statfsSync(folder).type);
  } catch {
    return undefined;
  }
  const named = KERNEL_FILE_SYSTEMS.get(type);
  if (named) return named;
  if (type !== TMPFS_MAGIC) return undefined;
  try {
    return mountTypeOf(realpathSync(folder)) === 'devtmpfs' ? 'devtmpfs' : undefined;
  } catch {
    return undefined;
  }
}
