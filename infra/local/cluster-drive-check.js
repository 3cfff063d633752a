// Sweeps the local cluster's MinIO drives for objects whose drives disagree, read straight from
// each drive's xl.meta (so it sees what MinIO's quorum logic hides): a DELETE or PUT that reached
// only some drives, or a version held by too few drives to be read, is how an acknowledged
// state can flip between reads (docs/design.md, "The clustered topology"). Read-only; safe
// while the cluster runs, though a key being written at that instant may show as split.
//   node infra/local/cluster-drive-check.js [--bucket src] [--prefix P] [--drives DIR] [--show N] [--all yes]
// DIR holds n*/d* (default .local/cluster/minio). Exit 1 when two latest versions of a key each
// have read quorum (a tie) or a version sits on fewer than five drives (EC:3's data shards).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = { bucket: 'src', prefix: '', drives: path.resolve(__dirname, '../../.local/cluster/minio'), show: 20, all: 'no' };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '');
  if (!(name in args) || process.argv[i + 1] === undefined) throw new Error(`usage: see the head of ${__filename}`);
  args[name] = name === 'show' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

// Just enough MessagePack for xl.meta's version headers (cmd/xl-storage-format-v2.go).
class Reader {
  constructor(buf, pos = 0) {
    this.buf = buf;
    this.pos = pos;
  }
  byte() {
    return this.buf[this.pos++];
  }
  uint() {
    const b = this.byte();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    const at = this.pos;
    switch (b) {
      case 0xcc: this.pos += 1; return this.buf.readUInt8(at);
      case 0xcd: this.pos += 2; return this.buf.readUInt16BE(at);
      case 0xce: this.pos += 4; return this.buf.readUInt32BE(at);
      case 0xcf: this.pos += 8; return this.buf.readBigUInt64BE(at);
      case 0xd0: this.pos += 1; return this.buf.readInt8(at);
      case 0xd1: this.pos += 2; return this.buf.readInt16BE(at);
      case 0xd2: this.pos += 4; return this.buf.readInt32BE(at);
      case 0xd3: this.pos += 8; return this.buf.readBigInt64BE(at);
      default: throw new Error(`not an integer: 0x${b.toString(16)} at ${at - 1}`);
    }
  }
  bin() {
    const b = this.byte();
    let n;
    if (b === 0xc4) n = this.byte();
    else if (b === 0xc5) (n = this.buf.readUInt16BE(this.pos)), (this.pos += 2);
    else if (b === 0xc6) (n = this.buf.readUInt32BE(this.pos)), (this.pos += 4);
    else throw new Error(`not bin: 0x${b.toString(16)} at ${this.pos - 1}`);
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }
  arrayLength() {
    const b = this.byte();
    if ((b & 0xf0) === 0x90) return b & 0x0f;
    if (b === 0xdc) return (this.pos += 2), this.buf.readUInt16BE(this.pos - 2);
    throw new Error(`not an array: 0x${b.toString(16)}`);
  }
}

/** Every version of one xl.meta, newest first: id, type, modTime (ns), data and parity shards. */
function versions(file) {
  const buf = fs.readFileSync(file);
  if (buf.subarray(0, 4).toString() !== 'XL2 ') throw new Error(`${file}: not xl.meta v2`);
  const major = buf.readUInt16LE(4);
  const minor = buf.readUInt16LE(6);
  if (major !== 1 || minor < 3) throw new Error(`${file}: xl.meta ${major}.${minor}, older than this reader knows`);
  const meta = new Reader(new Reader(buf, 8).bin());
  const headerVersion = meta.uint();
  meta.uint(); // the meta version: the headers are all this needs
  const count = Number(meta.uint());
  const out = [];
  for (let i = 0; i < count; i++) {
    const h = new Reader(meta.bin());
    meta.bin();
    const fields = h.arrayLength();
    const id = h.bin().toString('hex');
    const modTime = BigInt(h.uint());
    h.bin(); // signature
    const type = h.uint();
    h.uint(); // flags
    // Header v3 adds the erasure layout, parity (EcN) before data (EcM); older ones leave it 0/0.
    const [parity, data] = headerVersion >= 3 && fields >= 7 ? [h.uint(), h.uint()] : [0, 0];
    out.push({ id, modTime, type: { 1: 'object', 2: 'marker', 3: 'legacy' }[type] ?? `type${type}`, data, parity });
  }
  return out;
}

/** Object keys (relative folders holding xl.meta) under one drive's bucket. */
function keys(root, rel = '', out = new Set()) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.isFile() && e.name === 'xl.meta') out.add(rel);
    else if (e.isDirectory() && (rel || e.name.startsWith(args.prefix))) keys(root, rel ? `${rel}/${e.name}` : e.name, out);
  }
  return out;
}

const drives = fs
  .readdirSync(args.drives)
  .filter((n) => /^n\d+$/.test(n))
  .flatMap((n) => fs.readdirSync(path.join(args.drives, n)).filter((d) => /^d\d+$/.test(d)).map((d) => `${n}/${d}`))
  .sort();
if (drives.length === 0) throw new Error(`no drives (n*/d*) in ${args.drives}`);
const all = new Set();
for (const d of drives) for (const k of keys(path.join(args.drives, d, args.bucket))) all.add(k);

// MinIO reads a delete marker with half the drives whatever the storage class, an object with as
// many as its data shards (listObjectParities, cmd/erasure-metadata.go; a zero-byte object also
// takes half, which the headers read here cannot tell, so it may be reported short).
const needs = (v) => (v.type === 'object' && v.data > 0 ? v.data : drives.length / 2);
const layout = (v) => (v.type === 'object' ? `EC ${v.data}+${v.parity}` : v.type);
const tally = { keys: all.size, split: 0, tie: 0, under: 0, unhealed: 0 };
const layouts = {};
const shortLayouts = {};
const shown = [];
for (const key of [...all].sort()) {
  const perDrive = drives.map((d) => {
    try {
      return versions(path.join(args.drives, d, args.bucket, key, 'xl.meta'));
    } catch (err) {
      if (err.code === 'ENOENT') return null;
      throw err;
    }
  });
  const holders = new Map(); // version id -> { v, drives }
  perDrive.forEach((vs, i) => {
    for (const v of vs ?? []) {
      const h = holders.get(v.id) ?? holders.set(v.id, { v, drives: [] }).get(v.id);
      h.drives.push(drives[i]);
    }
  });
  for (const { v } of holders.values()) layouts[layout(v)] = (layouts[layout(v)] ?? 0) + 1;
  const tops = new Map(); // latest version id -> drives
  perDrive.forEach((vs, i) => vs?.length && (tops.get(vs[0].id) ?? tops.set(vs[0].id, []).get(vs[0].id)).push(drives[i]));
  const problems = [];
  let tie = false;
  if (tops.size > 1) {
    tally.split++;
    // Two latest versions each with a read quorum: MinIO may answer either. Otherwise a drive is
    // only behind (it missed versions written while it was away) and reads resolve to the newest.
    tie = [...tops].filter(([id, ds]) => ds.length >= needs(holders.get(id).v)).length > 1;
    if (tie) tally.tie++;
    problems.push(tie ? 'TIE: two latest versions, each with read quorum' : 'latest differs (a drive behind)');
  }
  const short = [...holders.values()].filter((h) => h.drives.length < Math.max(5, needs(h.v)));
  if (short.length) tally.under++, problems.push(`${short.length} version(s) on fewer than 5 drives`);
  for (const { v } of short) shortLayouts[layout(v)] = (shortLayouts[layout(v)] ?? 0) + 1;
  if (perDrive.some((vs) => vs === null)) tally.unhealed++;
  // Ties and short versions are what this is for; a drive merely behind is listed only with --all.
  if ((tie || short.length || (problems.length && args.all === 'yes')) && shown.length < args.show) {
    const lines = [...holders.values()].sort((a, b) => (a.v.modTime > b.v.modTime ? -1 : 1)).map(
      ({ v, drives: ds }) => `    ${v.id} ${layout(v).padEnd(8)} ${new Date(Number(v.modTime / 1_000_000n)).toISOString()} on ${ds.length}: ${ds.join(' ')}`,
    );
    shown.push(`  ${key}: ${problems.join('; ')}\n${lines.join('\n')}`);
  }
}

console.log(`cluster-drive-check: ${drives.length} drives in ${args.drives}, bucket ${args.bucket}${args.prefix ? `, keys ${args.prefix}*` : ''}`);
console.log(
  `  ${tally.keys} keys; latest version differs between drives: ${tally.split} (ties, both read quorum: ${tally.tie}); ` +
    `a version on fewer than 5 drives: ${tally.under}; missing from some drive: ${tally.unhealed}`,
);
const byLayout = (t) => Object.entries(t).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
console.log(`  versions by layout: ${byLayout(layouts)}; of them on fewer than 5 drives: ${byLayout(shortLayouts)}`);
if (shown.length) console.log(shown.join('\n'));
process.exit(tally.tie || tally.under ? 1 : 0);
