// Test drawings with known gaps, made here so the tests need no files.
import { encodePng } from './png.mjs';

/** Grey line art: white paper, black strokes drawn by `paint(set)`. */
function grey(width, height, paint) {
    const pixels = new Uint8Array(width * height).fill(255);
    paint((x, y, v = 0) => {
        if (x >= 0 && y >= 0 && x < width && y < height) pixels[y * width + x] = v;
    });
    return pixels;
}

/**
 * A 256×192 rectangle outline, 3 px thick, with a 6 px gap in its top edge: bucket fill
 * leaks out of it until the gap is closed.
 */
export function gappedRectangle() {
    const width = 256, height = 192;
    const [x0, y0, x1, y1, thick] = [48, 40, 207, 151, 3];
    const gap = { x0: 124, x1: 129, y0: y0, y1: y0 + thick - 1 };
    const pixels = grey(width, height, (set) => {
        for (let y = y0; y <= y1; y++) {
            for (let x = x0; x <= x1; x++) {
                const edge = x < x0 + thick || x > x1 - thick || y < y0 + thick || y > y1 - thick;
                const inGap = x >= gap.x0 && x <= gap.x1 && y >= gap.y0 && y <= gap.y1;
                if (edge && !inGap) set(x, y);
            }
        }
    });
    return { name: 'gapped-rectangle.png', width, height, channels: 1, pixels, gap, inside: { x: 128, y: 96 }, png: encodePng(width, height, 1, pixels) };
}

/** The same rectangle as a transparent line layer: RGBA, ink opaque black, paper transparent. */
export function gappedLayer() {
    const grey = gappedRectangle();
    const pixels = new Uint8Array(grey.width * grey.height * 4);
    grey.pixels.forEach((v, i) => pixels.set([0, 0, 0, 255 - v], i * 4));
    return { ...grey, name: 'gapped-layer.png', channels: 4, pixels, png: encodePng(grey.width, grey.height, 4, pixels) };
}

/** The same rectangle drawn in light pencil (grey 180, darkness 75): its lines are lighter than the ink level. */
export function pencilRectangle() {
    const inked = gappedRectangle();
    const pixels = inked.pixels.map((v) => (v === 0 ? 180 : v));
    return { ...inked, name: 'pencil-rectangle.png', pixels, darkness: 75, png: encodePng(inked.width, inked.height, 1, pixels) };
}

/** The same rectangle as a scanner saves it: an uncompressed 24-bit BMP, three bytes a pixel. */
export function gappedScan() {
    const { width, height, ...grey } = gappedRectangle();
    const pixels = new Uint8Array(width * height * 3);
    grey.pixels.forEach((v, i) => pixels.set([v, v, v], i * 3));
    const row = width * 3; // a multiple of 4: no padding
    const bmp = Buffer.alloc(54 + row * height);
    bmp.write('BM', 0);
    bmp.writeUInt32LE(bmp.length, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(width, 18);
    bmp.writeInt32LE(height, 22); // positive: rows bottom-up
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const v = grey.pixels[y * width + x];
            bmp.set([v, v, v], 54 + (height - 1 - y) * row + x * 3);
        }
    }
    return { ...grey, name: 'gapped-scan.bmp', width, height, channels: 3, pixels, bmp };
}

/** A small deterministic random generator (mulberry32). */
function random(seed) {
    return () => {
        seed |= 0;
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A 1920×1080 frame of outlined shapes with small gaps, for the benchmark. */
export function lineArtFrame(width = 1920, height = 1080, seed = 7) {
    const rand = random(seed);
    const pixels = grey(width, height, (set) => {
        const dot = (x, y, r) => {
            for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) set(Math.round(x + dx), Math.round(y + dy));
        };
        for (let n = 0; n < 160; n++) {
            const cx = rand() * width, cy = rand() * height;
            const rx = 20 + rand() * 140, ry = 20 + rand() * 140;
            const gapAt = rand() * Math.PI * 2, gapSize = (2 + rand() * 5) / Math.max(rx, ry);
            const steps = Math.ceil(2 * Math.PI * Math.max(rx, ry));
            for (let i = 0; i < steps; i++) {
                const a = (i / steps) * Math.PI * 2;
                if (Math.abs(((a - gapAt + 3 * Math.PI) % (2 * Math.PI)) - Math.PI) < gapSize / 2) continue;
                dot(cx + rx * Math.cos(a), cy + ry * Math.sin(a), 1);
            }
        }
    });
    return { name: `frame-${width}x${height}.png`, width, height, pixels, png: encodePng(width, height, 1, pixels) };
}

/** Whether paper (darkness < 128) connects `from` to the image border, 4-connected: a leak. */
export function leaks(dark, width, height, from) {
    const seen = new Uint8Array(width * height);
    const stack = [from.y * width + from.x];
    seen[stack[0]] = 1;
    while (stack.length) {
        const i = stack.pop();
        const x = i % width, y = (i / width) | 0;
        if (x === 0 || y === 0 || x === width - 1 || y === height - 1) return true;
        for (const n of [i - 1, i + 1, i - width, i + width]) {
            if (!seen[n] && dark[n] < 128) {
                seen[n] = 1;
                stack.push(n);
            }
        }
    }
    return false;
}
