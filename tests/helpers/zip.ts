// Zip files built by hand for the package tests: every field of every header can be set, so a test
// can make the hostile packages a stranger could send (lying sizes, links, odd names, shared data).
import { deflateSync } from 'fflate';

export interface RawEntry {
  name: string | Uint8Array;
  /** The bytes as they are (stored) or to deflate (method 8, unless `compressed` is given). */
  data?: Uint8Array;
  /** Already compressed bytes to put in the file as they are. */
  compressed?: Uint8Array;
  method?: number;
  flags?: number;
  /** Version made by: the high byte is the host (3 Unix, 0 DOS). */
  madeBy?: number;
  external?: number;
  /** Lies: sizes and CRC in both headers (default: the true ones). */
  size?: number;
  compressedSize?: number;
  crc?: number;
  /** The local header says something else. */
  localName?: string;
  localMethod?: number;
  /** Point the directory entry at another entry's local header (shared data). */
  sameDataAs?: number;
  /** Write no local header: the directory entry points at this offset in the file. */
  localOffset?: number;
}

const text = new TextEncoder();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

class Bytes {
  private parts: number[] = [];
  u8(v: number) {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number) {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number) {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  raw(b: Uint8Array) {
    for (const x of b) this.parts.push(x);
    return this;
  }
  get length() {
    return this.parts.length;
  }
  done() {
    return Uint8Array.from(this.parts);
  }
}

/** A zip of the entries, with an end record (and optionally junk or a cut at the end). */
export function buildZip(entries: RawEntry[], options: { comment?: string } = {}): Uint8Array {
  const out = new Bytes();
  const central: { offset: number; e: RawEntry; name: Uint8Array; body: Uint8Array; crc: number; size: number }[] = [];
  for (const e of entries) {
    const name = typeof e.name === 'string' ? text.encode(e.name) : e.name;
    const method = e.method ?? 8;
    const data = e.data ?? new Uint8Array(0);
    const body = e.compressed ?? (method === 8 ? deflateSync(data) : data);
    const crc = e.crc ?? crc32(data);
    const size = e.size ?? data.length;
    if (e.sameDataAs !== undefined) {
      central.push({ ...central[e.sameDataAs], e, name, crc, size });
      continue;
    }
    if (e.localOffset !== undefined) {
      central.push({ offset: e.localOffset, e, name, body, crc, size });
      continue;
    }
    const offset = out.length;
    const localName = e.localName !== undefined ? text.encode(e.localName) : name;
    out.u32(0x04034b50).u16(20).u16(e.flags ?? 0).u16(e.localMethod ?? method).u16(0).u16(0x5021);
    out.u32(crc).u32(e.compressedSize ?? body.length).u32(size).u16(localName.length).u16(0).raw(localName).raw(body);
    central.push({ offset, e, name, body, crc, size });
  }
  const cdStart = out.length;
  for (const c of central) {
    const e = c.e;
    out.u32(0x02014b50).u16(e.madeBy ?? 0x0314).u16(20).u16(e.flags ?? 0).u16(e.method ?? 8).u16(0).u16(0x5021);
    out.u32(c.crc).u32(e.compressedSize ?? c.body.length).u32(c.size).u16(c.name.length).u16(0).u16(0).u16(0).u16(0);
    out.u32(e.external ?? (0o100644 << 16) >>> 0).u32(c.offset).raw(c.name);
  }
  const cdSize = out.length - cdStart;
  const comment = text.encode(options.comment ?? '');
  out.u32(0x06054b50).u16(0).u16(0).u16(central.length).u16(central.length).u32(cdSize).u32(cdStart).u16(comment.length).raw(comment);
  return out.done();
}

export const json = (v: unknown) => text.encode(JSON.stringify(v));

/** A local header and its data, to hide inside another entry's data (the overlapping bomb). */
export function localRecord(name: string, data: Uint8Array): Uint8Array {
  const n = text.encode(name);
  return new Bytes().u32(0x04034b50).u16(20).u16(0).u16(0).u16(0).u16(0x5021).u32(crc32(data)).u32(data.length).u32(data.length).u16(n.length).u16(0).raw(n).raw(data).done();
}
