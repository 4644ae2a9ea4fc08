#!/usr/bin/env node
// Independent checker of testdata/vectors/, written from docs/FORMAT.md only
// (no Go source was read). Node.js 20, built-in modules only.
//
//   node tools/interop/check-vectors.mjs [--verbose] [vectors-dir]
//
// Section names in comments ("§CBOR", "§QR code", ...) refer to docs/FORMAT.md.
// Assumptions where the spec is silent are marked "ASSUMPTION".

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------

class Outcome extends Error {
  constructor(status, reason) {
    super(`${status}: ${reason}`);
    this.status = status;
    this.reason = reason;
  }
}
const reject = (status, reason) => { throw new Outcome(status, reason); };
const malformed = (reason) => reject('malformed', reason);

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

const sha256 = (b) => crypto.createHash('sha256').update(b).digest();
const hex = (b) => Buffer.from(b).toString('hex');
const kidOf = (pub) => sha256(pub).subarray(0, 8); // §COSE_Sign1 profile: kid

// Strict base64url without padding (§Test vectors: "Every document is base64url
// without padding"). A bad vector encoding is a harness error, not an outcome.
function b64url(s, what) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
    throw new Error(`${what}: not unpadded base64url`);
  }
  const b = Buffer.from(s, 'base64url');
  if (b.toString('base64url') !== s) throw new Error(`${what}: non-canonical base64url`);
  return b;
}

// ---------------------------------------------------------------------------
// Base45, RFC 9285, strict (§The QR code)
// ---------------------------------------------------------------------------

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function base45Decode(s) {
  if (s.length % 3 === 1) malformed('base45: dangling single character');
  const val = (i) => {
    const v = B45.indexOf(s[i]);
    if (v < 0) malformed(`base45: character ${JSON.stringify(s[i])} outside the alphabet`);
    return v;
  };
  const out = [];
  for (let i = 0; i < s.length; i += 3) {
    if (i + 2 < s.length) {
      const n = val(i) + val(i + 1) * 45 + val(i + 2) * 45 * 45;
      if (n > 0xffff) malformed(`base45: group ${s.slice(i, i + 3)} above 65535`);
      out.push(n >> 8, n & 0xff);
    } else {
      const n = val(i) + val(i + 1) * 45;
      if (n > 0xff) malformed(`base45: group ${s.slice(i, i + 2)} above 255`);
      out.push(n);
    }
  }
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------
// Base32, RFC 4648 §6, strict canonical (§The link form)
// ---------------------------------------------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Uppercase alphabet only, no padding, length mod 8 in {0, 2, 4, 5, 7}, the
// unused low bits of the last character zero: exactly the texts that encoding
// the decoded bytes again gives back.
function base32Decode(s) {
  if (![0, 2, 4, 5, 7].includes(s.length % 8)) malformed(`base32: length ${s.length} is ${s.length % 8} mod 8, never base32`);
  const out = [];
  let acc = 0; // the pending bits, at most 12 of them
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B32.indexOf(s[i]);
    if (v < 0) malformed(`base32: character ${JSON.stringify(s[i])} at ${i} outside the uppercase alphabet`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
      acc &= (1 << bits) - 1;
    }
  }
  // bits < 5 here: the low bits of the last character that no byte uses.
  if (acc !== 0) malformed('base32: unused low bits of the last character not zero (not canonical)');
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------
// zlib (RFC 1950) with a hard output cap; bytes after the stream are rejected
// ---------------------------------------------------------------------------

// §zlib: CMF 0x78 (deflate, 32 KiB window) only, FCHECK right, no preset
// dictionary (FDICT); FLEVEL ignored; any valid deflate data (stored blocks
// too); Adler-32 checked by zlib itself.
function inflateCapped(buf, cap, what) {
  if (buf.length < 2 || buf[0] !== 0x78) malformed(`${what}: CMF is not 0x78`);
  if (((buf[0] << 8) | buf[1]) % 31 !== 0) malformed(`${what}: FCHECK wrong`);
  if (buf[1] & 0x20) malformed(`${what}: preset dictionary (FDICT)`);
  let r;
  try {
    r = zlib.inflateSync(buf, { maxOutputLength: cap, info: true });
  } catch (e) {
    if (e.code === 'ERR_BUFFER_TOO_LARGE') malformed(`${what}: inflates to more than ${cap} bytes`);
    malformed(`${what}: bad zlib stream (${e.message})`);
  }
  if (r.engine.bytesWritten !== buf.length) {
    malformed(`${what}: ${buf.length - r.engine.bytesWritten} byte(s) after the zlib stream`);
  }
  return r.buffer;
}

// ---------------------------------------------------------------------------
// Strict CBOR decoder (§CBOR; RFC 8949 §4.2.1 core deterministic encoding)
//
// Values: integers -> BigInt, bstr -> Buffer, tstr -> string, array -> Array,
// map -> CborMap, tag -> Tagged, simple -> true/false/null/undefined.
// ---------------------------------------------------------------------------

class CborMap {
  constructor() { this.entries = []; }   // [key, value] in encoded order
  get(k) { const e = this.entries.find(([kk]) => kk === k); return e ? e[1] : undefined; }
  keys() { return this.entries.map(([k]) => k); }
}
class Tagged { constructor(tag, value) { this.tag = tag; this.value = value; } }

// §CBOR limits. Nesting: the outermost container counts as 1 (depth 0 here
// is level 1), and a payload inside a byte string is decoded, and counted, on
// its own (each cborDecode call starts again at 0). A tag is not a container.
const LIMITS = { depth: 16, mapPairs: 64, arrayElems: 1048576 };
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Decodes exactly one item filling `bytes`. With allowTag18, a tag 18 is
// accepted as the outermost item only (§COSE_Sign1 profile).
function cborDecode(bytes, { allowTag18 = false } = {}) {
  let pos = 0;
  const need = (n) => { if (n > bytes.length - pos) malformed('cbor: truncated'); };

  // Reads the argument of an initial byte, enforcing the shortest form.
  function arg(info) {
    if (info < 24) return BigInt(info);
    if (info === 31) malformed('cbor: indefinite length');
    if (info > 27) malformed(`cbor: reserved additional information ${info}`);
    const n = 1 << (info - 24);
    need(n);
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(bytes[pos++]);
    const min = [24n, 0x100n, 0x10000n, 0x100000000n][info - 24];
    if (v < min) malformed('cbor: non-shortest integer or length');
    return v;
  }
  const len = (info, max) => {
    const v = arg(info);
    if (v > BigInt(max)) malformed(`cbor: length ${v} over the limit ${max}`);
    return Number(v);
  };

  function item(depth) {
    need(1);
    const start = pos;
    const ib = bytes[pos++];
    const major = ib >> 5, info = ib & 31;
    switch (major) {
      case 0: return arg(info);
      case 1: return -1n - arg(info);
      case 2: case 3: {
        const v = arg(info);
        if (v > BigInt(bytes.length - pos)) malformed('cbor: truncated string');
        const n = Number(v);
        const raw = bytes.subarray(pos, pos + n);
        pos += n;
        if (major === 2) return Buffer.from(raw);
        try { return utf8.decode(raw); } catch { malformed('cbor: invalid UTF-8 in text string'); }
      }
      // falls through only by throwing
      case 4: {
        if (depth >= LIMITS.depth) malformed('cbor: nesting deeper than 16');
        const n = len(info, LIMITS.arrayElems);
        const a = [];
        for (let i = 0; i < n; i++) a.push(item(depth + 1));
        return a;
      }
      case 5: {
        if (depth >= LIMITS.depth) malformed('cbor: nesting deeper than 16');
        const n = len(info, LIMITS.mapPairs);
        const m = new CborMap();
        const seen = new Set();
        let prev = null;
        for (let i = 0; i < n; i++) {
          const ks = pos;
          const k = item(depth + 1);
          const kb = bytes.subarray(ks, pos);
          if (seen.has(hex(kb))) malformed('cbor: duplicate map key');
          // RFC 8949 §4.2.1: bytewise lexicographic order of the encoded keys.
          if (prev && Buffer.compare(prev, kb) >= 0) malformed('cbor: map keys not in deterministic order');
          seen.add(hex(kb));
          prev = kb;
          m.entries.push([k, item(depth + 1)]);
        }
        return m;
      }
      case 6: {
        const tag = arg(info);
        if (!(allowTag18 && start === 0 && tag === 18n)) malformed(`cbor: tag ${tag} not allowed here`);
        return new Tagged(tag, item(depth));
      }
      case 7:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        if (info === 23) return undefined;
        if (info >= 25 && info <= 27) malformed('cbor: floating-point value');
        malformed(`cbor: simple value / break 0x${ib.toString(16)} not allowed`);
    }
    throw new Error('unreachable');
  }

  const v = item(0);
  if (pos !== bytes.length) malformed(`cbor: ${bytes.length - pos} byte(s) after the item`);
  return v;
}

// Deterministic encoding of the few items we need to build (Sig_structure).
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) { const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b; }
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}
const encBytes = (b) => Buffer.concat([head(2, b.length), b]);
const encText = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([head(3, b.length), b]); };

// ---------------------------------------------------------------------------
// Schema helpers: exact key sets, types and ranges (§CBOR "any input that is
// not exactly the deterministic encoding of a document of the schema")
// ---------------------------------------------------------------------------

const MAX_TIME = 253402300799n; // §COSE_Sign1 profile: times

function map(v, what, required, optional = []) {
  if (!(v instanceof CborMap)) malformed(`${what}: not a map`);
  const allowed = new Set([...required, ...optional].map(String));
  for (const k of v.keys()) {
    if (typeof k !== 'bigint' || !allowed.has(String(k))) malformed(`${what}: unknown key ${String(k)}`);
  }
  for (const k of required) if (v.get(k) === undefined) malformed(`${what}: missing key ${k}`);
  return v;
}
function uint(v, what, min = 0n, max = null) {
  if (typeof v !== 'bigint' || v < 0n) malformed(`${what}: not an unsigned integer`);
  if (v < min || (max !== null && v > max)) malformed(`${what}: ${v} out of range`);
  return v;
}
const small = (v, what, min, max) => Number(uint(v, what, BigInt(min), BigInt(max)));
const time = (v, what) => uint(v, what, 0n, MAX_TIME);
function bstr(v, what, size = null) {
  if (!Buffer.isBuffer(v)) malformed(`${what}: not a byte string`);
  if (size !== null && v.length !== size) malformed(`${what}: ${v.length} bytes, want ${size}`);
  return v;
}
function tstr(v, what, minBytes = 0, maxBytes = Infinity) {
  if (typeof v !== 'string') malformed(`${what}: not a text string`);
  const n = Buffer.byteLength(v, 'utf8');
  if (n < minBytes || n > maxBytes) malformed(`${what}: ${n} bytes, want ${minBytes}..${maxBytes}`);
  return v;
}
function array(v, what, min, max) {
  if (!Array.isArray(v)) malformed(`${what}: not an array`);
  if (v.length < min || v.length > max) malformed(`${what}: ${v.length} elements, want ${min}..${max}`);
  return v;
}
function matches(s, re, what) { if (!re.test(s)) malformed(`${what}: ${JSON.stringify(s)} invalid`); return s; }
function strictlyAscending(xs, what) {
  for (let i = 1; i < xs.length; i++) if (!(xs[i] > xs[i - 1])) malformed(`${what}: not strictly ascending`);
}

// ---------------------------------------------------------------------------
// COSE_Sign1, CLA profile (§COSE_Sign1 profile)
// ---------------------------------------------------------------------------

const CT = {
  record: 'application/vnd.cla.record+cbor',
  keyset: 'application/vnd.cla.keyset+cbor',
  list: 'application/vnd.cla.status-list+cbor',
  delta: 'application/vnd.cla.status-delta+cbor',
};

// contentType null = the QR code (no header 3). Returns the parts; the
// signature is checked separately (after the kid lookup, §Verification outcome).
function decodeSign1(bytes, contentType) {
  const top = cborDecode(bytes, { allowTag18: true });
  if (!(top instanceof Tagged)) malformed('cose: not tagged 18');
  const a = top.value;
  if (!Array.isArray(a) || a.length !== 4) malformed('cose: not an array of 4');
  const [prot, unprot, payload, signature] = a;
  bstr(prot, 'cose protected');
  // The strict decoder plus the exact key set make the bytes the deterministic
  // encoding: a2 01 27 04 48 <kid>, or a3 01 27 03 <tstr> 04 48 <kid>.
  const h = map(cborDecode(prot), 'protected header', contentType === null ? [1n, 4n] : [1n, 3n, 4n]);
  if (h.get(1n) !== -8n) malformed(`protected header: alg ${String(h.get(1n))}, only -8 (EdDSA) accepted`);
  if (contentType !== null && h.get(3n) !== contentType) {
    malformed(`protected header: content type ${JSON.stringify(h.get(3n))}, want ${contentType}`);
  }
  const kid = bstr(h.get(4n), 'protected header kid', 8);
  if (!(unprot instanceof CborMap) || unprot.entries.length !== 0) malformed('cose: unprotected header not the empty map');
  bstr(payload, 'cose payload');
  bstr(signature, 'cose signature', 64);
  return { protectedBytes: prot, kid, payload, signature };
}

// Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052 §4.4).
function sigStructure(protectedBytes, payload) {
  return Buffer.concat([Buffer.from([0x84]), encText('Signature1'), encBytes(protectedBytes),
    Buffer.from([0x40]), encBytes(payload)]);
}
function ed25519Verify(pub, sign1) {
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
  return crypto.verify(null, sigStructure(sign1.protectedBytes, sign1.payload), key, sign1.signature);
}

// ---------------------------------------------------------------------------
// JWKS (§JWKS) -> Map kidHex -> { pub, status, notBefore, notAfter } (ms)
// ---------------------------------------------------------------------------

const rejectJWKS = (reason) => reject('reject', `jwks: ${reason}`);

// §JWKS times: YYYY-MM-DDTHH:MM:SS then Z or ±HH:MM; uppercase T and Z, no
// fraction, seconds 00–59, a real day, offset ≤ 23:59, and an instant from
// 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z once the offset is applied.
// Returns milliseconds since the epoch.
function rfc3339(s, what) {
  const m = typeof s === 'string' &&
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:Z|([+-])([0-9]{2}):([0-9]{2}))$/.exec(s);
  if (!m) rejectJWKS(`${what} ${JSON.stringify(s)} is not a CLA date-time`);
  const [y, mo, d, hh, mi, ss] = m.slice(1, 7).map(Number);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  const offOk = m[7] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  if (mo < 1 || mo > 12 || d < 1 || d > days || hh > 23 || mi > 59 || ss > 59 || !offOk) {
    rejectJWKS(`${what} ${JSON.stringify(s)} is not a valid time`);
  }
  const offset = m[7] === undefined ? 0 : (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const base = new Date(Date.UTC(2000, mo - 1, d, hh, mi, ss));
  base.setUTCFullYear(y); // years 0000–0099 too
  const ms = base.getTime() - offset * 60000;
  if (ms < 0 || ms > Number(MAX_TIME) * 1000) rejectJWKS(`${what} ${JSON.stringify(s)} outside 1970–9999`);
  return ms;
}

function jwksB64(s, what) {
  try { return b64url(s, what); } catch (e) { return rejectJWKS(e.message); }
}

const isObject = (o) => o !== null && typeof o === 'object' && !Array.isArray(o);

// Throws Outcome 'reject' for a JWKS the spec says to reject as a whole.
function parseJWKS(jwks) {
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) rejectJWKS('no "keys" array');
  const out = new Map();
  jwks.keys.forEach((k, i) => {
    const what = `keys[${i}]`;
    if (!isObject(k)) rejectJWKS(`${what} is not an object`);
    // §JWKS: a member d, whatever its value, on a key of any type, rejects.
    if (Object.hasOwn(k, 'd')) rejectJWKS(`${what} has a private member d`);
    // §JWKS: kty not the string "OKP" or crv not the string "Ed25519" is
    // another type: skipped, whatever its other members hold.
    if (k.kty !== 'OKP' || k.crv !== 'Ed25519') return;
    const pub = jwksB64(k.x, `${what} x`);
    if (pub.length !== 32) rejectJWKS(`${what} x is ${pub.length} bytes, not an Ed25519 public key`);
    const kid = kidOf(pub);
    // "kid may be left out (it is derived from x)"; "alg and use are informative".
    if (Object.hasOwn(k, 'kid') && !jwksB64(k.kid, `${what} kid`).equals(kid)) rejectJWKS(`${what} kid is not the kid of x`);
    const status = Object.hasOwn(k, 'status') ? k.status : 'active';
    if (!['active', 'retired', 'compromised'].includes(status)) rejectJWKS(`${what} unknown status ${JSON.stringify(status)}`);
    const notBefore = Object.hasOwn(k, 'not_before') ? rfc3339(k.not_before, `${what} not_before`) : -Infinity;
    const notAfter = Object.hasOwn(k, 'not_after') ? rfc3339(k.not_after, `${what} not_after`) : Infinity;
    // §Key windows: a backwards window is a key that never signs (checkKey
    // finds no time inside it); it does not reject the JWKS.
    if (out.has(hex(kid))) rejectJWKS(`${what} kid ${hex(kid)} appears twice`);
    out.set(hex(kid), { pub, status, notBefore, notAfter });
  });
  if (out.size === 0) rejectJWKS('no Ed25519 key');
  return out;
}

// Steps 2–5 of §Verification outcome, shared by QR codes and status documents.
function checkKey(keys, sign1, signedAt, what) {
  const key = keys.get(hex(sign1.kid));
  if (!key) reject('unknown_key', `${what}: kid ${hex(sign1.kid)} not in the keys`);
  if (!ed25519Verify(key.pub, sign1)) reject('invalid_signature', `${what}: Ed25519 signature does not verify`);
  if (key.status === 'compromised') reject('key_compromised', `${what}: key ${hex(sign1.kid)} is compromised`);
  // A retired key still verifies within its window (§Keyset: retiring shortens not_after).
  const t = Number(signedAt) * 1000; // window inclusive at both ends (§JWKS)
  if (t < key.notBefore || t > key.notAfter) reject('key_not_valid', `${what}: time ${signedAt} outside the key's window`);
  return key;
}

// ---------------------------------------------------------------------------
// Claims (§Claims), virtual code (§Virtual code), packed years
// ---------------------------------------------------------------------------

const VCODE = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const gfDouble = (x) => ((x << 1) ^ (x & 0x10 ? 0x25 : 0)) & 0x1f; // 2·x mod x⁵+x²+1

function virtualCode(v, what) {
  tstr(v, what);
  // Decoders take the canonical form only: 13 uppercase symbols, no separators.
  if (v.length !== 13 || [...v].some((c) => !VCODE.includes(c))) malformed(`${what}: ${JSON.stringify(v)} not 13 Crockford base32 symbols`);
  // Damm: interim = 2·interim ⊕ value(s) over all 13 symbols must end at 0,
  // i.e. the 13th symbol equals 2·interim of the first 12.
  let interim = 0;
  for (const c of v) interim = gfDouble(interim) ^ VCODE.indexOf(c);
  if (interim !== 0) malformed(`${what}: ${v} fails the Damm check`);
  return v;
}

// §Text fields: the refused code points, pinned (Unicode 15.0.0's Cc, Cf,
// White_Space but U+0020, and U+FFFD) as closed ranges, so that the answer
// does not depend on the Unicode version of this runtime's regular expressions.
const REFUSED = [
  [0x0000, 0x001F], [0x007F, 0x00A0], [0x00AD, 0x00AD], [0x0600, 0x0605], [0x061C, 0x061C],
  [0x06DD, 0x06DD], [0x070F, 0x070F], [0x0890, 0x0891], [0x08E2, 0x08E2], [0x1680, 0x1680],
  [0x180E, 0x180E], [0x2000, 0x200F], [0x2028, 0x202F], [0x205F, 0x2064], [0x2066, 0x206F],
  [0x3000, 0x3000], [0xFEFF, 0xFEFF], [0xFFF9, 0xFFFB], [0xFFFD, 0xFFFD], [0x110BD, 0x110BD],
  [0x110CD, 0x110CD], [0x13430, 0x1343F], [0x1BCA0, 0x1BCA3], [0x1D173, 0x1D17A], [0xE0001, 0xE0001],
  [0xE0020, 0xE007F],
];
const refused = (cp) => REFUSED.some(([lo, hi]) => cp >= lo && cp <= hi);

function text(v, what, minBytes, maxBytes) {
  tstr(v, what, minBytes, maxBytes);
  for (const ch of v) {
    const cp = ch.codePointAt(0);
    if (refused(cp)) malformed(`${what}: refused code point U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (v.startsWith(' ') || v.endsWith(' ')) malformed(`${what}: starts or ends with a space`);
  return v;
}

const DOC_NUMBER = { 1: /^[0-9]{8}$/, 2: /^[A-Z0-9]{1,12}$/, 3: /^[0-9]{14}$/ };

function student(v, what) {
  array(v, what, 5, 5);
  const docType = small(v[0], `${what} doc_type`, 1, 3);
  const docNumber = matches(tstr(v[1], `${what} doc_number`), DOC_NUMBER[docType], `${what} doc_number`);
  return {
    doc_type: docType,
    doc_number: docNumber,
    given_names: text(v[2], `${what} given_names`, 1, 100),
    first_surname: text(v[3], `${what} first_surname`, 1, 100),
    second_surname: text(v[4], `${what} second_surname`, 0, 100),
  };
}

// Grade ranges by level: inicial ages 3–5, primaria 1–6, secundaria 1–5.
const GRADES = { 1: [3, 5], 2: [1, 6], 3: [1, 5] };
function schoolYear(year, level, grade, result, what) {
  if (year < 2013 || year > 2099) malformed(`${what}: year ${year} outside 2013–2099`);
  if (level < 1 || level > 3) malformed(`${what}: level ${level}`);
  const [g0, g1] = GRADES[level];
  if (grade < g0 || grade > g1) malformed(`${what}: grade ${grade} invalid for level ${level}`);
  if (result < 1 || result > 3) malformed(`${what}: situación final ${result}`);
}

// §Packed years: 16 bits big-endian, 1..40 years, strictly ascending.
function packedYears(b, what) {
  bstr(b, what);
  if (b.length % 2 !== 0 || b.length < 2 || b.length > 80) malformed(`${what}: ${b.length} bytes, want 2..80 and even`);
  const years = [];
  for (let i = 0; i < b.length; i += 2) {
    const w = b.readUInt16BE(i);
    const y = [2000 + (w >> 9), (w >> 7) & 3, (w >> 4) & 7, (w >> 2) & 3];
    if (w & 3) malformed(`${what}: reserved bits set`);
    schoolYear(...y, `${what}[${i / 2}]`);
    years.push(y);
  }
  strictlyAscending(years.map((y) => y[0]), what);
  return years;
}

const STATUS_INDEX_MAX = 16777215n; // §Claims: uint .le 16777215 (< 2^24, the largest list)

function parseClaims(payload) {
  const c = map(cborDecode(payload), 'claims', [1n, 6n, -65537n]);
  const s = map(c.get(-65537n), 'summary', [1n, 2n, 3n, 4n, 5n]);
  return {
    // §Claims: 1–64 bytes under the text rule; not checked against a list.
    iss: text(c.get(1n), 'iss', 1, 64),
    // §Times: iat is from 1.
    iat: Number(uint(c.get(6n), 'iat', 1n, MAX_TIME)),
    code: virtualCode(s.get(1n), 'virtual code'),
    status_index: Number(uint(s.get(2n), 'status index', 0n, STATUS_INDEX_MAX)),
    ...student(s.get(3n), 'student'),
    years: packedYears(s.get(4n), 'packed years'),
    record_digest_hex: hex(bstr(s.get(5n), 'record digest', 32)),
  };
}

// ---------------------------------------------------------------------------
// QR code verification (§The QR code, §The link form, §Verification outcome)
// ---------------------------------------------------------------------------

const QR_CAP = 4296;
const QR_INFLATE_CAP = 64 * 1024;

// ASCII-only lowercase: String.prototype.toLowerCase would also fold some
// non-ASCII letters onto ASCII ones (U+212A KELVIN SIGN -> "k").
const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

// §The link form, reader steps 2–5: is the (trimmed) text a link?
function isLink(t) {
  // Step 2: a '#', and before the first one "http://" or "https://" (ASCII
  // case-insensitive), an authority of one character or more with no '/'
  // or '?', then "/V" (case-sensitive). No '#' at all: not a link.
  const hash = t.indexOf('#');
  if (hash < 0) return false;
  const before = t.slice(0, hash);
  const lower = asciiLower(before);
  let rest;
  if (lower.startsWith('https://')) rest = before.slice(8);
  else if (lower.startsWith('http://')) rest = before.slice(7);
  else return false;
  if (!rest.endsWith('/V')) return false;
  const authority = rest.slice(0, -2);
  return authority.length > 0 && !/[/?]/.test(authority);
}

// §The link form: the bytes B carried in a link's fragment.
function linkBytes(t) {
  // Step 3: printable ASCII only, anywhere in the link.
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) {
      malformed(`qr link: character U+${c.toString(16).toUpperCase().padStart(4, '0')} at ${i} not printable ASCII (0x21–0x7E)`);
    }
  }
  const hashes = t.split('#').length - 1;
  if (hashes !== 1) malformed(`qr link: ${hashes} '#' characters, want exactly one`);
  // Step 4: the fragment is canonical base32. Step 5: the URL part is not
  // trusted and not otherwise checked.
  // An empty fragment decodes to no bytes, malformed as a COSE_Sign1.
  return base32Decode(t.slice(t.indexOf('#') + 1));
}

function verifyQR(qrText, keys) {
  // "Readers ignore whitespace around the text": Unicode White_Space, for
  // both forms (§The link form: "after trimming whitespace as for CLA1:").
  const t = qrText.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
  // The cap counts the text after trimming, the whole link included.
  if ([...t].length > QR_CAP) malformed(`qr: ${[...t].length} characters over the cap ${QR_CAP}`);
  let b;
  if (t.startsWith('CLA1:')) {
    b = base45Decode(t.slice(5));
  } else if (isLink(t)) {
    b = linkBytes(t);
  } else {
    malformed('qr: neither the CLA1: form (case-sensitive prefix) nor a link to /V');
  }
  // Both forms: B is a COSE_Sign1, or its zlib stream under the same cap.
  if (b[0] === 0x78) b = inflateCapped(b, QR_INFLATE_CAP, 'qr zlib');
  const sign1 = decodeSign1(b, null);
  const claims = parseClaims(sign1.payload);
  const result = { claims, sign1, key: keys.get(hex(sign1.kid)) };
  try {
    checkKey(keys, sign1, claims.iat, 'qr');
  } catch (e) {
    if (e instanceof Outcome) e.result = result;
    throw e;
  }
  return result;
}

// ---------------------------------------------------------------------------
// Full record (§Full record)
// ---------------------------------------------------------------------------

const RECORD_CAP = 256 * 1024;
const TEXT_CAP = 300; // school name, area names, observations: 1–300 bytes
const SCALES = { 1: ['AD', 'A', 'B', 'C'], 2: ['A', 'B', 'C'],
  3: Array.from({ length: 21 }, (_, i) => String(i).padStart(2, '0')) };

function marks(v, what, min, scale) {
  return array(v, what, min, 40).map((m, i) => {
    array(m, `${what}[${i}]`, 2, 2);
    const area = text(m[0], `${what}[${i}] area`, 1, TEXT_CAP);
    const value = text(m[1], `${what}[${i}] value`, 1, TEXT_CAP);
    // Checked against the scale the record names; "EXO" and "-" on any scale.
    if (!SCALES[scale].includes(value) && value !== 'EXO' && value !== '-') {
      malformed(`${what}[${i}]: mark ${JSON.stringify(value)} not on scale ${scale}`);
    }
    return [area, value];
  });
}

function recordYear(v, what) {
  const y = map(v, what, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
  const year = small(y.get(1n), `${what} year`, 2013, 2099);
  const level = small(y.get(2n), `${what} level`, 1, 3);
  // §Full record: the grade ranges of the packed years hold in the record.
  const grade = small(y.get(3n), `${what} grade`, 0, 255);
  const result = small(y.get(8n), `${what} situación final`, 1, 3);
  schoolYear(year, level, grade, result, what);
  const school = array(y.get(4n), `${what} school`, 4, 4);
  matches(text(school[0], `${what} código modular`, 7, 7), /^[0-9]{7}$/, `${what} código modular`);
  matches(text(school[1], `${what} anexo`, 1, 1), /^[0-9]$/, `${what} anexo`);
  text(school[2], `${what} school name`, 1, TEXT_CAP);
  matches(text(school[3], `${what} ubigeo`, 6, 6), /^[0-9]{6}$/, `${what} ubigeo`);
  const scale = small(y.get(5n), `${what} scale`, 1, 3);
  marks(y.get(6n), `${what} áreas`, 1, scale);
  marks(y.get(7n), `${what} competencias transversales`, 0, scale);
  // §Full record: the observation layout is a convention, not a decoding
  // rule; only the text rule is checked.
  array(y.get(9n), `${what} observations`, 0, 20).forEach((o, i) => text(o, `${what} observation ${i}`, 1, TEXT_CAP));
  return [year, level, grade, result];
}

// Decodes a full record under the profile and schema; returns its summary.
function parseRecord(bytes) {
  if (bytes.length > RECORD_CAP) malformed(`record: ${bytes.length} bytes, over 256 KiB`);
  const sign1 = decodeSign1(bytes, CT.record);
  const r = map(cborDecode(sign1.payload), 'record', [1n, 6n, -65538n]);
  const body = map(r.get(-65538n), 'record body', [1n, 2n, 3n, 4n]);
  const summary = {
    iss: text(r.get(1n), 'record iss', 1, 64),
    iat: uint(r.get(6n), 'record iat', 1n, MAX_TIME),
    code: virtualCode(body.get(1n), 'record virtual code'),
    // §Full record: the QR code's bound holds here too.
    status_index: String(uint(body.get(2n), 'record status index', 0n, STATUS_INDEX_MAX)),
    ...student(body.get(3n), 'record student'),
    years: array(body.get(4n), 'record years', 1, 40).map((y, i) => recordYear(y, `record year ${i}`)),
  };
  strictlyAscending(summary.years.map((y) => y[0]), 'record years');
  return { sign1, summary };
}

// The outcome of a full record on its own: the schema, then the key checks
// of a QR code against its iat.
function openRecord(bytes, keys) {
  try {
    const rec = parseRecord(bytes);
    checkKey(keys, rec.sign1, rec.summary.iat, 'record');
    return 'valid';
  } catch (e) {
    if (e instanceof Outcome) return e.status;
    throw e;
  }
}

// §Full record, "Record and QR code": the record the code vouches for is the
// one whose SHA-256 is claim 5 (the whole proof). For that record we also
// check, as the reference verifier does, that it decodes, is signed by the
// QR code's key, and that its code, index, student and per-year summary equal
// the QR code's. Returns { matches, reason }; never changes the code's outcome.
function checkRecord(recordBytes, qr) {
  if (!qr?.claims) return { matches: false, reason: 'the code does not decode' };
  if (hex(sha256(recordBytes)) !== qr.claims.record_digest_hex) {
    return { matches: false, reason: 'record SHA-256 differs from claim 5' };
  }
  let rec;
  try {
    rec = parseRecord(recordBytes);
  } catch (e) {
    if (e instanceof Outcome) return { matches: false, reason: `record digest matches but ${e.reason}` };
    throw e;
  }
  if (!rec.sign1.kid.equals(qr.sign1.kid)) return { matches: false, reason: 'record not signed by the QR code\'s key (kid)' };
  if (qr.key && !ed25519Verify(qr.key.pub, rec.sign1)) return { matches: false, reason: 'record signature does not verify under the QR code\'s key' };
  const want = { ...qr.claims, status_index: String(qr.claims.status_index) };
  for (const k of ['code', 'status_index', 'doc_type', 'doc_number', 'given_names', 'first_surname', 'second_surname', 'years']) {
    if (JSON.stringify(rec.summary[k]) !== JSON.stringify(want[k])) return { matches: false, reason: `record ${k} differs from the QR code` };
  }
  // ASSUMPTION: iss and iat are not compared (the spec lists code, index,
  // student and years only).
  return { matches: true, reason: `record matches (${rec.summary.years.length} years)` };
}

// ---------------------------------------------------------------------------
// Keyset (§Keyset)
// ---------------------------------------------------------------------------

const KEYSET_CAP = 256 * 1024; // §table: keyset ≤ 256 KiB

function parseKeyset(bytes) {
  if (bytes.length > KEYSET_CAP) malformed(`keyset: ${bytes.length} bytes, over 256 KiB`);
  const sign1 = decodeSign1(bytes, CT.keyset);
  const m = map(cborDecode(sign1.payload), 'keyset', [1n, 2n, 3n, 5n], [4n]);
  const ks = {
    bytes, sign1,
    seq: uint(m.get(1n), 'keyset seq', 1n),
    issuedAt: time(m.get(2n), 'keyset issued_at'),
    expiresAt: time(m.get(3n), 'keyset expires_at'),
    prevHash: m.get(4n) === undefined ? null : bstr(m.get(4n), 'keyset prev_hash', 32),
    keys: new Map(),
  };
  if (ks.expiresAt <= ks.issuedAt) malformed('keyset: expires_at not after issued_at');
  // §Keyset: seq from 1; prev_hash present if and only if seq > 1.
  if ((ks.seq === 1n) !== (ks.prevHash === null)) malformed('keyset: prev_hash must be absent exactly for seq 1');
  array(m.get(5n), 'keyset keys', 1, 1000).forEach((kv, i) => {
    const k = map(kv, `key ${i}`, [1n, 2n, 3n, 4n, 5n]);
    const kid = bstr(k.get(1n), `key ${i} kid`, 8);
    const pub = bstr(k.get(2n), `key ${i} public key`, 32);
    if (!kid.equals(kidOf(pub))) malformed(`key ${i}: kid is not the kid of the public key`);
    // §Keyset: a kid listed twice makes the keyset malformed.
    if (ks.keys.has(hex(kid))) malformed(`key ${i}: duplicate kid`);
    const notBefore = time(k.get(3n), `key ${i} not_before`);
    const notAfter = time(k.get(4n), `key ${i} not_after`);
    // §Key windows: not_after < not_before is a key that never signs, not a
    // malformed keyset (keysets keep every key forever).
    ks.keys.set(hex(kid), { pub, notBefore, notAfter, status: small(k.get(5n), `key ${i} status`, 1, 3) });
  });
  return ks;
}

// Rule 2: signed (kid and signature) by a pinned root.
function checkRoot(ks, roots) {
  const root = roots.find((r) => kidOf(r).equals(ks.sign1.kid));
  if (!root) reject('untrusted_root', `keyset seq ${ks.seq}: kid ${hex(ks.sign1.kid)} is not a pinned root`);
  if (!ed25519Verify(root, ks.sign1)) reject('untrusted_root', `keyset seq ${ks.seq}: root signature does not verify`);
}

// The linking rules (gap, prev_hash, issued_at, keys, statuses), in the
// order of the table; each broken one is broken_chain.
function checkLink(held, ks) {
  if (ks.seq !== held.seq + 1n) reject('broken_chain', `seq ${ks.seq} does not follow held seq ${held.seq} (a gap)`);
  if (!ks.prevHash.equals(sha256(held.bytes))) reject('broken_chain', `seq ${ks.seq}: prev_hash is not the SHA-256 of seq ${held.seq}`);
  if (ks.issuedAt < held.issuedAt) reject('broken_chain', `seq ${ks.seq}: issued_at before the held one's`);
  for (const [kid, old] of held.keys) {
    const now = ks.keys.get(kid);
    if (!now || !now.pub.equals(old.pub)) reject('broken_chain', `seq ${ks.seq}: held key ${kid} dropped or changed`);
  }
  for (const [kid, old] of held.keys) {
    const now = ks.keys.get(kid);
    if (now.status < old.status) reject('broken_chain', `seq ${ks.seq}: key ${kid} status ${old.status} -> ${now.status} moves backwards`);
  }
}

function runKeyset(v) {
  if (!Array.isArray(v.roots) || !Array.isArray(v.keysets)) throw new Error('vector: roots and keysets must be arrays');
  const roots = v.roots.map((r, i) => {
    const b = b64url(r, `roots[${i}]`);
    if (b.length !== 32) throw new Error(`roots[${i}]: not 32 bytes`);
    return b;
  });
  // ASSUMPTION: the held keyset is the verifier's trusted storage: decoded,
  // not re-checked against the roots.
  let held = v.held != null ? parseKeyset(b64url(v.held, 'held')) : null;
  let newer = false; // has the chain offered a document newer than the held one yet?
  const notes = [];
  for (const [i, doc] of v.keysets.entries()) {
    const ks = parseKeyset(b64url(doc, `keysets[${i}]`)); // malformed
    checkRoot(ks, roots);                                   // untrusted_root
    if (held === null) {
      // "A verifier holding no keyset takes the first root-signed document of
      // the chain and links the rest to it." ASSUMPTION: a first document that
      // is not root-signed stops the chain (untrusted_root, above) rather
      // than being passed over.
      held = ks;
      newer = true;
      continue;
    }
    if (ks.seq <= held.seq) {
      // Before any newer one: skipped (root-signed, not compared).
      if (!newer) { notes.push(`skipped seq ${ks.seq}`); continue; }
      // After a newer one: seq ≤ its predecessor's (the held one by now).
      reject('rollback', `seq ${ks.seq} after seq ${held.seq}`);
    }
    checkLink(held, ks);                                    // broken_chain
    held = ks;
    newer = true;
  }
  // ASSUMPTION: an empty chain offered to a verifier holding nothing is a
  // rollback too (it offers nothing newer).
  if (!newer) reject('rollback', held ? `the chain offers nothing newer than the held seq ${held.seq}` : 'empty chain');
  return { status: 'accept', reason: `keyset seq ${held.seq}${notes.length ? ` (${notes.join(', ')})` : ''}`, seq: Number(held.seq) };
}

// ---------------------------------------------------------------------------
// Status list and delta (§Status list)
// ---------------------------------------------------------------------------

const BITS_MIN = 131072, BITS_MAX = 16777216;
const STATUS_DOC_CAP = 8 * 1024 * 1024; // §table: ≤ 8 MiB, lists and deltas

// Strictly ascending uints. The bound (< the list's size) is checked when the
// delta is applied, after seq_mismatch (§Status list, "in order").
function indexList(v, what) {
  const xs = array(v, what, 0, LIMITS.arrayElems).map((x, i) => uint(x, `${what}[${i}]`));
  strictlyAscending(xs, what);
  return xs;
}

// Opens a list or delta: malformed, then the key checks.
function parseStatusDoc(bytes, kind, keys) {
  if (bytes.length > STATUS_DOC_CAP) malformed(`status ${kind}: ${bytes.length} bytes, over 8 MiB`);
  const sign1 = decodeSign1(bytes, CT[kind]);
  let doc;
  if (kind === 'list') {
    const m = map(cborDecode(sign1.payload), 'status list', [1n, 2n, 3n, 4n]);
    doc = {
      seq: uint(m.get(1n), 'list seq', 1n),
      issuedAt: time(m.get(2n), 'list issued_at'),
      nextUpdate: time(m.get(3n), 'list next_update'),
    };
    if (doc.nextUpdate <= doc.issuedAt) malformed('list: next_update not after issued_at');
    // Inflating stops at 2 MiB (= 16,777,216 bits); no bytes after the stream.
    doc.bits = inflateCapped(bstr(m.get(4n), 'list bits'), BITS_MAX / 8, 'list bits');
    if (doc.bits.length * 8 < BITS_MIN) malformed(`list: ${doc.bits.length * 8} bits, fewer than ${BITS_MIN}`);
  } else {
    const m = map(cborDecode(sign1.payload), 'status delta', [1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    doc = {
      fromSeq: uint(m.get(1n), 'delta from_seq', 1n),
      toSeq: uint(m.get(2n), 'delta to_seq'),
      issuedAt: time(m.get(3n), 'delta issued_at'),
      nextUpdate: time(m.get(4n), 'delta next_update'),
      set: indexList(m.get(5n), 'delta set'),
      cleared: indexList(m.get(6n), 'delta cleared'),
      digest: bstr(m.get(7n), 'delta digest', 32),
    };
    if (doc.toSeq <= doc.fromSeq) malformed('delta: to_seq not after from_seq');
    if (doc.nextUpdate <= doc.issuedAt) malformed('delta: next_update not after issued_at');
    const set = new Set(doc.set);
    if (doc.cleared.some((i) => set.has(i))) malformed('delta: set and cleared not disjoint');
  }
  checkKey(keys, sign1, doc.issuedAt, `status ${kind}`);
  return doc;
}

// Bit i is bit 7 − i mod 8 of byte i / 8 (MSB first).
const getBit = (bits, i) => (bits[i >> 3] >> (7 - (i & 7))) & 1;
const putBit = (bits, i, on) => { if (on) bits[i >> 3] |= 0x80 >> (i & 7); else bits[i >> 3] &= ~(0x80 >> (i & 7)); };

function runStatus(v) {
  const keys = parseJWKS(v.jwks);
  // §Status list, "Applying a delta, in order": open the list, open the
  // delta, seq_mismatch, index bound (malformed), diverged.
  const list = parseStatusDoc(b64url(v.list, 'list'), 'list', keys);
  let { seq, bits } = list;
  let reason = `list seq ${seq}`;
  if (v.delta != null) {
    const d = parseStatusDoc(b64url(v.delta, 'delta'), 'delta', keys);
    if (d.fromSeq !== seq) reject('seq_mismatch', `delta from_seq ${d.fromSeq} applied to list seq ${seq}`);
    const size = BigInt(bits.length * 8);
    for (const i of [...d.set, ...d.cleared]) {
      if (i >= size) malformed(`delta: index ${i} not below the list's ${size} bits`);
    }
    bits = Buffer.from(bits);
    d.set.forEach((i) => putBit(bits, Number(i), true));
    d.cleared.forEach((i) => putBit(bits, Number(i), false));
    if (!sha256(bits).equals(d.digest)) reject('diverged', 'delta result does not hash to field 7');
    seq = d.toSeq;
    reason += `, delta -> seq ${seq}`;
  }
  let revoked = 0;
  for (let i = 0; i < bits.length * 8; i++) revoked += getBit(bits, i);
  const samples = {};
  for (const k of Object.keys(v.samples ?? {})) samples[k] = Number(k) < bits.length * 8 && getBit(bits, Number(k)) === 1;
  return { status: 'accept', reason: `${reason}, ${bits.length * 8} bits, ${revoked} revoked`, seq: Number(seq), revoked_count: revoked, samples };
}

// ---------------------------------------------------------------------------
// Credential and JWKS vectors
// ---------------------------------------------------------------------------

function runCredential(v) {
  const keys = parseJWKS(v.jwks);
  let r, status = 'valid', reason = 'signature and key ok';
  try {
    r = verifyQR(v.qr, keys);
  } catch (e) {
    if (!(e instanceof Outcome)) throw e;
    ({ status, reason } = e);
    r = e.result;
  }
  const got = { status, reason, claims: r?.claims };
  // A record that is not the code's does not change the code's outcome.
  if (v.record !== undefined) {
    const bytes = b64url(v.record, 'record');
    got.record_expected = openRecord(bytes, keys);
    const rec = checkRecord(bytes, r);
    got.record_matches = rec.matches && got.record_expected === 'valid';
    got.reason += `; record ${got.record_expected}; ${rec.reason}`;
  }
  return got;
}

function runJWKS(v) {
  const keys = parseJWKS(v.jwks);
  return { status: 'accept', reason: `${keys.size} Ed25519 key(s)`, keys: keys.size };
}

// ---------------------------------------------------------------------------
// Root-key fingerprint (§Root-key fingerprint)
// ---------------------------------------------------------------------------

// The first 20 bytes of SHA-256 over the 32 raw key bytes, in Crockford
// base32 (5 bits a character, most significant first: 160 bits are exactly
// 32 characters), as 8 groups of 4 joined by spaces.
function fingerprint(pub) {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const d = sha256(pub).subarray(0, 20);
  let bits = 0n;
  for (const b of d) bits = (bits << 8n) | BigInt(b);
  let s = '';
  for (let i = 31; i >= 0; i--) s += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return s.match(/.{4}/g).join(' ');
}

function runFingerprint(v) {
  const key = b64url(v.key, 'key');
  if (key.length !== 32) return { status: 'reject', reason: `${key.length} bytes, not an Ed25519 public key` };
  const fp = fingerprint(key);
  return { status: 'accept', reason: fp, fingerprint: fp };
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

const KINDS = ['credential', 'jwks', 'keyset', 'status', 'fingerprint'];
const EXPECTED = {
  credential: ['valid', 'invalid_signature', 'unknown_key', 'key_compromised', 'key_not_valid', 'malformed'],
  jwks: ['accept', 'reject'],
  keyset: ['accept', 'rollback', 'broken_chain', 'untrusted_root', 'malformed'],
  status: ['accept', 'seq_mismatch', 'diverged', 'invalid_signature', 'unknown_key', 'key_compromised', 'key_not_valid', 'malformed'],
  fingerprint: ['accept', 'reject'],
};

const sameJSON = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function sortedClaims(c) {
  if (!c) return c;
  const keys = ['iss', 'iat', 'code', 'status_index', 'doc_type', 'doc_number', 'given_names',
    'first_surname', 'second_surname', 'years', 'record_digest_hex'];
  return Object.fromEntries(keys.map((k) => [k, c[k]]).concat(Object.keys(c).filter((k) => !keys.includes(k)).map((k) => [k, c[k]])));
}

// Problems with the vector file itself (not with an implementation).
function vectorProblems(kind, v) {
  const bad = [];
  if (!isObject(v)) return ['not a JSON object'];
  if (!EXPECTED[kind].includes(v.expected)) bad.push(`expected ${JSON.stringify(v.expected)} is not a ${kind} outcome`);
  if (kind === 'credential' && ((v.record === undefined) !== (v.record_matches === undefined) ||
      (v.record === undefined) !== (v.record_expected === undefined))) {
    bad.push('record, record_expected and record_matches must come together');
  }
  // §Test vectors: claims exactly when a verifier decodes the code.
  if (kind === 'credential' && (v.claims !== undefined) !== ['valid', 'key_compromised', 'key_not_valid'].includes(v.expected)) {
    bad.push('claims must be given exactly for valid, key_compromised and key_not_valid');
  }
  if (v.expected === 'accept') {
    const need = { jwks: ['keys'], keyset: ['seq'], status: ['seq', 'revoked_count', 'samples'], fingerprint: ['fingerprint'] }[kind] ?? [];
    for (const f of need) if (v[f] === undefined) bad.push(`accept without ${f}`);
  }
  return bad;
}

// Returns a list of mismatches between our result and the vector.
function compare(kind, v, got) {
  const bad = [];
  if (got.status !== v.expected) bad.push(`got ${got.status} (${got.reason}), want ${v.expected}`);
  if (kind === 'credential' && v.record_matches !== undefined && got.record_matches !== v.record_matches) {
    bad.push(`record_matches: got ${got.record_matches} (${got.reason}), want ${v.record_matches}`);
  }
  if (kind === 'credential' && v.record_expected !== undefined && got.record_expected !== v.record_expected) {
    bad.push(`record_expected: got ${got.record_expected} (${got.reason}), want ${v.record_expected}`);
  }
  if (got.status !== v.expected) return bad;
  if (kind === 'credential' && v.claims !== undefined && !sameJSON(sortedClaims(got.claims), sortedClaims(v.claims))) {
    bad.push(`claims differ: got ${JSON.stringify(got.claims)}`);
  }
  for (const f of ['seq', 'revoked_count', 'keys', 'fingerprint']) {
    if (v[f] !== undefined && got[f] !== v[f]) bad.push(`${f}: got ${got[f]}, want ${v[f]}`);
  }
  if (v.samples !== undefined) {
    for (const [k, want] of Object.entries(v.samples)) {
      if (got.samples?.[k] !== want) bad.push(`sample ${k}: got ${got.samples?.[k]}, want ${want}`);
    }
  }
  return bad;
}

function runVector(kind, v) {
  try {
    if (kind === 'credential') return runCredential(v);
    if (kind === 'jwks') return runJWKS(v);
    if (kind === 'keyset') return runKeyset(v);
    if (kind === 'fingerprint') return runFingerprint(v);
    return runStatus(v);
  } catch (e) {
    if (e instanceof Outcome) return { status: e.status, reason: e.reason };
    return { status: 'error', reason: e.message };
  }
}

function main() {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const dir = args.find((a) => !a.startsWith('--')) ?? path.join('testdata', 'vectors');
  let pass = 0, failed = 0, problems = 0;
  const fail = (name, msg) => { failed++; console.log(`FAIL ${name}: ${msg}`); };
  const folderProblem = (name, msg) => { problems++; console.log(`FAIL ${name}: ${msg}`); };

  // No vacuous pass: the folder, each category, and at least one vector in
  // each must exist; a category this checker does not know fails too.
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.log(`FAIL ${dir}: vectors folder missing`);
    process.exit(1);
  }
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !KINDS.includes(e.name)) folderProblem(`${e.name}/`, 'unknown vector category (not checked)');
  }
  for (const kind of KINDS) {
    const sub = path.join(dir, kind);
    if (!fs.existsSync(sub) || !fs.statSync(sub).isDirectory()) { folderProblem(`${kind}/`, 'category folder missing'); continue; }
    const files = fs.readdirSync(sub).filter((f) => f.endsWith('.json')).sort();
    if (files.length === 0) { folderProblem(`${kind}/`, 'no vectors'); continue; }
    for (const f of files) {
      const name = `${kind}/${f}`;
      let v;
      try {
        v = JSON.parse(fs.readFileSync(path.join(sub, f), 'utf8'));
      } catch (e) {
        fail(name, `unreadable vector: ${e.message}`);
        continue;
      }
      const problems = vectorProblems(kind, v);
      if (problems.length) { fail(name, `bad vector: ${problems.join('; ')}`); continue; }
      const got = runVector(kind, v);
      const bad = compare(kind, v, got);
      if (bad.length === 0) {
        pass++;
        console.log(verbose ? `ok ${name}: ${got.status} (${got.reason})` : `ok ${name}`);
      } else {
        fail(name, bad.join('; '));
      }
    }
  }
  console.log(`${pass} passed, ${failed} failed, ${pass + failed} vectors` +
    (problems ? `; ${problems} folder problem(s)` : ''));
  process.exit(failed === 0 && problems === 0 && pass > 0 ? 0 : 1);
}

// Run as a script; importing the module (e.g. for ad-hoc tests) only exports.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();

export { base45Decode, base32Decode, cborDecode, decodeSign1, parseClaims, virtualCode, packedYears, verifyQR, parseJWKS, parseRecord, checkRecord, parseKeyset, runKeyset, runStatus };
