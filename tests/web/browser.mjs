// Shared by the browser tests and the benchmark: Debian's headless Chromium driven by
// playwright-core, the built app served from dist/, and helpers to feed it files.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = process.env.FLG_DIST ?? path.join(ROOT, 'dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-dev-shm-usage',
];
/** SwiftShader (or lavapipe) WebGPU in headless Chromium. */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'];

/** Serves dist/ (built by `trunk build --release`). */
export async function serveDist() {
    if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `trunk build --release` first');
    return serve(DIST);
}

/** A fresh headless Chromium (Playwright gives it a new, empty profile). */
export async function launch({ webgpu }) {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [...ARGS, ...(webgpu ? WEBGPU_ARGS : [])],
    });
}

/**
 * Opens the app in a new context, recording every request, console error and page error.
 * Resolves once the app has rendered and its WebGPU probe has answered.
 */
export async function openApp(browser, server, { initScript } = {}) {
    const context = await browser.newContext({ acceptDownloads: true, hasTouch: true, viewport: { width: 1280, height: 800 } });
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    const log = { requests: [], problems: [], console: [], loaded: false };
    context.on('request', (r) => log.requests.push({ url: r.url(), afterLoad: log.loaded }));
    page.on('pageerror', (e) => log.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
        log.console.push(`${m.type()}: ${m.text()}`);
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) log.problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForSelector('#backend-cpu', { timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('#gpu-note')?.textContent.includes('looking'), null, { timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    return { context, page, log };
}

/** Which backend the app shows as active: "WebGpu" or "Cpu", and the GPU note. */
export async function backendState(page) {
    return page.evaluate(() => ({
        backend: document.querySelector('#active-backend')?.dataset.backend,
        gpu: document.querySelector('#gpu-note')?.textContent,
        gpuEnabled: !document.querySelector('#backend-gpu')?.disabled,
    }));
}

/** Drops files (`{ name, type, bytes }`) on the page, as a user dragging them in would. */
export async function dropFiles(page, files, event = 'drop') {
    const payload = files.map((f) => ({ name: f.name, type: f.type, b64: Buffer.from(f.bytes).toString('base64') }));
    const transfer = await page.evaluateHandle((files) => {
        const transfer = new DataTransfer();
        for (const f of files) {
            const text = atob(f.b64);
            const bytes = new Uint8Array(text.length);
            for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
            transfer.items.add(new File([bytes], f.name, { type: f.type }));
        }
        return transfer;
    }, payload);
    if (event === 'paste') {
        await page.evaluate((t) => window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: t, bubbles: true, cancelable: true })), transfer);
    } else {
        await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
        await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
    }
}

/**
 * Drops files or folders from disk, as a drag from the file manager does (through the DevTools
 * protocol: a synthetic DataTransfer cannot hold a folder).
 */
export async function dropPaths(page, paths) {
    const cdp = await page.context().newCDPSession(page);
    try {
        const box = await page.locator('#drop-zone').boundingBox();
        const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
        const data = { items: [], files: paths, dragOperationsMask: 1 };
        for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
    } finally {
        await cdp.detach();
    }
}

export function item(name, status) {
    return `.queue-item[data-name="${name}"]` + (status ? `[data-status="${status}"]` : '');
}

/** Clicks a button that downloads; resolves to `{ name, bytes }`. */
export async function download(page, selector) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

/** Seconds of each finished run, from the app's console line. */
export function runTimes(log) {
    return log.console
        .map((line) => line.match(/fill-line-gaps: (\d+)×(\d+) on (.+) in ([\d.]+) s/))
        .filter(Boolean)
        .map((m) => ({ width: +m[1], height: +m[2], backend: m[3], seconds: +m[4] }));
}

/** A touch gesture through the DevTools protocol: `frames` is a list of touch-point lists. */
export async function touch(page, frames) {
    const cdp = await page.context().newCDPSession(page);
    try {
        for (const [i, points] of frames.entries()) {
            const type = i === 0 ? 'touchStart' : i === frames.length - 1 && points.length === 0 ? 'touchEnd' : 'touchMove';
            await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
        }
    } finally {
        await cdp.detach();
    }
}
