// Browser benchmark (not a test): seconds per 1920×1080 frame in the built app (dist/), on
// the WebAssembly CPU path and, where this Chromium offers an adapter, on WebGPU.
//   node tests/web/bench.mjs [runs]      (default 3 timed runs after one warm-up)
import { backendState, dropFiles, item, launch, openApp, runTimes, serveDist } from './browser.mjs';
import { lineArtFrame } from './drawings.mjs';

const runs = Number(process.argv[2] ?? 3);
const frame = lineArtFrame(1920, 1080);

async function bench(browser, server, backend) {
    const { context, page, log } = await openApp(browser, server);
    try {
        const state = await backendState(page);
        if (backend === 'WebGpu' && state.backend !== 'WebGpu') return `WebGPU: no adapter in this Chromium (${state.gpu})`;
        if (backend === 'Cpu' && state.gpuEnabled) await page.check('#backend-cpu');
        for (let i = 0; i <= runs; i++) {
            const name = `frame-${i}.png`;
            await dropFiles(page, [{ name, type: 'image/png', bytes: frame.png }]);
            await page.waitForSelector(item(name, 'done'), { timeout: 900_000 });
            await page.click(`${item(name)} .remove`);
        }
        const times = runTimes(log).map((t) => t.seconds);
        const timed = times.slice(1).sort((a, b) => a - b);
        const median = timed[Math.floor(timed.length / 2)];
        const label = backend === 'WebGpu' ? `WebGPU (${state.gpu})` : 'WASM CPU (burn-flex, SIMD)';
        return `${label}: ${median.toFixed(2)} s per 1920×1080 frame (median of ${timed.length}; warm-up ${times[0].toFixed(2)} s; runs ${timed.map((t) => t.toFixed(2)).join(', ')})`;
    } finally {
        await context.close();
    }
}

const server = await serveDist();
try {
    for (const [backend, webgpu] of [['Cpu', false], ['WebGpu', true]]) {
        const browser = await launch({ webgpu });
        try {
            console.log(await bench(browser, server, backend));
        } finally {
            await browser.close();
        }
    }
} finally {
    await server.close();
}
