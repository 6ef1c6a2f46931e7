// CRC-32C (Castagnoli), the checksum of TFRecord files, and TF's masked form of it.

const POLYNOMIAL = 0x82f63b78; // reflected 0x1EDC6F41

/** Slicing-by-4 tables: TABLES[k][b] is the CRC of byte b followed by k zero bytes. */
const TABLES = (() => {
  const tables = Array.from({ length: 4 }, () => new Uint32Array(256));
  for (let b = 0; b < 256; b++) {
    let crc = b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[0][b] = crc >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 4; k++) tables[k][b] = (tables[k - 1][b] >>> 8) ^ tables[0][tables[k - 1][b] & 0xff];
  }
  return tables;
})();

/** The CRC-32C of `data`. */
export function crc32c(data: Uint8Array): number {
  const [t0, t1, t2, t3] = TABLES;
  let crc = 0xffffffff;
  let i = 0;
  const end4 = data.length - (data.length % 4);
  for (; i < end4; i += 4) {
    crc ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    crc = t3[crc & 0xff] ^ t2[(crc >>> 8) & 0xff] ^ t1[(crc >>> 16) & 0xff] ^ t0[crc >>> 24];
  }
  for (; i < data.length; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TF's masked CRC (tsl/lib/hash/crc32c.h): rotated right by 15 bits plus a constant, so a CRC of CRCs stays strong. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
