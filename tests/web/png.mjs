// Minimal PNG encoding and decoding for the browser tests (8-bit grey, grey+alpha, RGB, RGBA,
// 16-bit reduced to 8; no interlacing), so the checks do not trust the browser's own decoder.
import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
}

const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Encodes 8-bit pixels: `channels` 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA). */
export function encodePng(width, height, channels, pixels) {
    const colourType = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8;
    header[9] = colourType;
    const stride = width * channels;
    const raw = Buffer.alloc((stride + 1) * height);
    for (let y = 0; y < height; y++) Buffer.from(pixels.subarray(y * stride, (y + 1) * stride)).copy(raw, y * (stride + 1) + 1);
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', header),
        chunk('IDAT', zlib.deflateSync(raw)),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}

/** Decodes to `{ width, height, channels, colourType, bitDepth, pixels }` (8 bits per sample). */
export function decodePng(bytes) {
    const buf = Buffer.from(bytes);
    if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
    let offset = 8;
    let width, height, bitDepth, colourType, interlace;
    const idat = [];
    while (offset < buf.length) {
        const length = buf.readUInt32BE(offset);
        const type = buf.toString('ascii', offset + 4, offset + 8);
        const data = buf.subarray(offset + 8, offset + 8 + length);
        if (type === 'IHDR') {
            width = data.readUInt32BE(0);
            height = data.readUInt32BE(4);
            bitDepth = data[8];
            colourType = data[9];
            interlace = data[12];
        } else if (type === 'IDAT') idat.push(data);
        else if (type === 'IEND') break;
        offset += 12 + length;
    }
    if (interlace) throw new Error('interlaced PNGs are not supported here');
    if (!(colourType in CHANNELS) || ![8, 16].includes(bitDepth)) throw new Error(`unsupported PNG: type ${colourType}, ${bitDepth} bit`);
    const channels = CHANNELS[colourType];
    const bpp = channels * (bitDepth / 8);
    const stride = width * bpp;
    const raw = zlib.inflateSync(Buffer.concat(idat));
    const out = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
        for (let x = 0; x < stride; x++) {
            const a = x >= bpp ? out[y * stride + x - bpp] : 0;
            const b = y > 0 ? out[(y - 1) * stride + x] : 0;
            const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
            let value = line[x];
            if (filter === 1) value += a;
            else if (filter === 2) value += b;
            else if (filter === 3) value += (a + b) >> 1;
            else if (filter === 4) {
                const p = a + b - c;
                const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
                value += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            out[y * stride + x] = value & 0xff;
        }
    }
    let pixels = out;
    if (bitDepth === 16) {
        pixels = Buffer.alloc(width * height * channels);
        for (let i = 0; i < pixels.length; i++) pixels[i] = out[i * 2];
    }
    return { width, height, channels, colourType, bitDepth, pixels };
}

/** Per pixel, how dark it is over white paper (the engine's rule: alpha × (255 − min channel)). */
export function darkness({ width, height, channels, pixels }) {
    const out = new Uint8Array(width * height);
    for (let i = 0; i < width * height; i++) {
        const p = pixels.subarray(i * channels, (i + 1) * channels);
        const [r, g, b, a] = channels === 1 ? [p[0], p[0], p[0], 255]
            : channels === 2 ? [p[0], p[0], p[0], p[1]]
            : channels === 3 ? [p[0], p[1], p[2], 255]
            : [p[0], p[1], p[2], p[3]];
        out[i] = Math.floor(((255 - Math.min(r, g, b)) * a) / 255);
    }
    return out;
}
