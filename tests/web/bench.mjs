// Browser benchmark (not a test): the cold start (bytes fetched, seconds until the app is
// ready with an empty cache) and seconds per 1920×1080 frame in the built app (dist/), on
// the WebAssembly CPU path and, where this Chromium offers an adapter, on WebGPU; plus one
// 3840×2160 frame on the CPU path to show 4K goes through.
//   node tests/web/bench.mjs [runs] [cpu|webgpu]   (default: 3 timed runs after a warm-up, both)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, backendState, dropFiles, item, launch, openApp, runTimes, serveDist } from './browser.mjs';
import { lineArtFrame } from './drawings.mjs';

const runs = Number(process.argv[2] ?? 3);
const only = process.argv[3];
const hd = lineArtFrame(1920, 1080);

async function frameTimes(page, log, frame, count) {
    const start = runTimes(log).length;
    for (let i = 0; i < count; i++) {
        const name = `bench-${i}-${frame.name}`;
        await dropFiles(page, [{ name, type: 'image/png', bytes: frame.png }]);
        await page.waitForSelector(item(name, 'done'), { timeout: 1_800_000 });
        await page.click(`${item(name)} .remove`);
    }
    return runTimes(log).slice(start).map((t) => t.seconds);
}

/** Loads the page in a fresh context (empty cache) and reports what it fetched and how long it took. */
async function coldStart(browser, server) {
    const started = performance.now();
    const { context, log } = await openApp(browser, server);
    const seconds = (performance.now() - started) / 1000;
    await context.close();
    let raw = 0;
    let gzipped = 0;
    for (const { url } of log.requests) {
        const file = path.join(DIST, decodeURIComponent(new URL(url).pathname).replace(/\/$/, '/index.html'));
        if (!fs.existsSync(file)) continue;
        const bytes = fs.readFileSync(file);
        raw += bytes.length;
        gzipped += zlib.gzipSync(bytes, { level: 9 }).length;
    }
    const mb = (n) => (n / 1e6).toFixed(1);
    return `cold start: ${log.requests.length} requests, ${mb(raw)} MB (${mb(gzipped)} MB gzipped), ` +
        `ready in ${seconds.toFixed(2)} s (download from localhost, compile, weights, backend probe)`;
}

async function bench(browser, server, backend) {
    const { context, page, log } = await openApp(browser, server);
    try {
        const state = await backendState(page);
        if (backend === 'WebGpu' && !state.gpuEnabled) return [`WebGPU: no adapter in this Chromium (${state.gpu})`];
        await page.check(backend === 'WebGpu' ? '#backend-gpu' : '#backend-cpu');
        const label = backend === 'WebGpu' ? `WebGPU (${state.gpu})` : 'WASM CPU (burn-flex, SIMD128)';
        const [warmUp, ...timed] = await frameTimes(page, log, hd, runs + 1);
        const sorted = [...timed].sort((a, b) => a - b);
        const lines = [
            `${label}: ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s per 1920×1080 frame ` +
                `(median of ${timed.length}: ${timed.map((t) => t.toFixed(2)).join(', ')}; warm-up ${warmUp.toFixed(2)} s)`,
        ];
        if (backend === 'Cpu') {
            const [uhd] = await frameTimes(page, log, lineArtFrame(3840, 2160), 1);
            lines.push(`${label}: ${uhd.toFixed(2)} s for one 3840×2160 frame`);
        }
        return lines;
    } finally {
        await context.close();
    }
}

const server = await serveDist();
try {
    for (const [backend, webgpu] of [['Cpu', false], ['WebGpu', true]]) {
        if (only && only.toLowerCase() !== backend.toLowerCase()) continue;
        const browser = await launch({ webgpu });
        try {
            if (backend === 'Cpu') console.log(await coldStart(browser, server));
            for (const line of await bench(browser, server, backend)) console.log(line);
        } finally {
            await browser.close();
        }
    }
} finally {
    await server.close();
}
