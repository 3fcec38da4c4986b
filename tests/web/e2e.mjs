// End-to-end tests of the built app (dist/) in Debian's headless Chromium: on the CPU
// fallback (no WebGPU), then on WebGPU when this Chromium offers an adapter (SwiftShader).
//   node tests/web/e2e.mjs            both
//   node tests/web/e2e.mjs cpu        only the CPU fallback
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backendState, download, dropFiles, dropPaths, item, launch, openApp, serveDist, touch } from './browser.mjs';
import { gappedLayer, gappedRectangle, gappedScan, leaks, lineArtFrame, pencilRectangle } from './drawings.mjs';
import { darkness, decodePng, encodePng } from './png.mjs';

const only = process.argv[2];
const drawing = gappedRectangle();
const layerDrawing = gappedLayer();
const pencil = pencilRectangle();
const big = lineArtFrame();
/** Long enough on any path (about 8 s on the CPU) for cancel to land mid-run. */
const uhd = lineArtFrame(3840, 2160);
let failures = 0;

function step(text) {
    console.log(`  · ${text}`);
}

/** Pixels in the view canvas that are marking red. */
async function redPixels(page) {
    return page.evaluate(() => {
        const canvas = document.querySelector('#view');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let red = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] < 60 && data[i + 2] < 60) red++;
        return red;
    });
}

/** Polls `read` until `ok` holds (the view repaints a moment after an input), or fails. */
async function settles(read, ok, what, timeout = 3000) {
    const until = Date.now() + timeout;
    let value;
    while (!ok((value = await read()))) {
        if (Date.now() > until) assert.fail(`${what} (got ${String(value).slice(0, 60)})`);
        await new Promise((r) => setTimeout(r, 50));
    }
    return value;
}

async function splitValue(page) {
    return Number(await page.getAttribute('#split', 'aria-valuenow'));
}

/** Names of the entries of a ZIP (from its central directory). */
function zipNames(bytes) {
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    assert.ok(end >= 0, 'not a ZIP');
    const count = bytes.readUInt16LE(end + 10);
    let at = bytes.readUInt32LE(end + 16);
    const names = [];
    for (let i = 0; i < count; i++) {
        const nameLength = bytes.readUInt16LE(at + 28);
        names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
        at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
    return names;
}

/**
 * The downloaded closed drawing: same size and mode, gap closed, original ink unchanged; ink
 * as the engine reads it after `levels` (a pencil drawing's levels).
 */
function checkClosed(file, input = drawing, levels = (dark) => dark) {
    const stem = input.name.replace(/\.[^.]+$/, '');
    assert.equal(file.name, `${stem}.closed.png`);
    const out = decodePng(file.bytes);
    const { width, height, channels } = input;
    assert.deepEqual([out.width, out.height, out.channels, out.bitDepth], [width, height, channels, 8], 'same size and colour mode as the input');
    const inputDark = levels(darkness(input));
    const changed = [];
    for (let i = 0; i < width * height; i++) {
        const [a, b] = [input.pixels.subarray(i * channels, (i + 1) * channels), out.pixels.subarray(i * channels, (i + 1) * channels)];
        const same = a.every((v, c) => v === b[c]);
        if (inputDark[i] >= 128) assert.ok(same, `original ink changed at ${i % width},${Math.floor(i / width)}`);
        if (!same) changed.push(i);
    }
    assert.ok(leaks(inputDark, width, height, input.inside), 'the input leaks');
    assert.ok(!leaks(levels(darkness(out)), width, height, input.inside), 'the gap is closed: bucket fill stays inside');
    const { gap } = input;
    const far = changed.filter((i) => {
        const x = i % width, y = Math.floor(i / width);
        return x < gap.x0 - 4 || x > gap.x1 + 4 || y < gap.y0 - 4 || y > gap.y1 + 4;
    });
    // Stray ink is the model's quality (scored by the engine's own evaluation), not the app's:
    // report it without failing.
    if (far.length) step(`note: the model added ${far.length} pixels away from the gap (e.g. ${far.slice(0, 3).map((i) => `${i % width},${Math.floor(i / width)}`).join(' ')})`);
    return changed;
}

/**
 * Drops one drawing, checks what its row `says` and its downloaded result (`checkClosed`, with
 * `levels`), and removes it again.
 */
async function closesAlone(page, input, bytes, type, { says, levels } = {}) {
    await dropFiles(page, [{ name: input.name, type, bytes }]);
    await page.waitForSelector(item(input.name, 'done'), { timeout: 120_000 });
    if (says) assert.match(await page.textContent(item(input.name)), says);
    await page.click(item(input.name));
    await page.waitForFunction(() => !document.querySelector('#download-png').disabled);
    checkClosed(await download(page, '#download-png'), input, levels);
    await page.click(`${item(input.name)} .remove`);
}

async function scenario(browser, server, mode) {
    const { context, page, log } = await openApp(browser, server);
    try {
        const state = await backendState(page);
        step(`backend: ${state.backend} (GPU: ${state.gpu})`);
        if (mode === 'cpu') {
            if (state.gpuEnabled) await page.check('#backend-cpu');
            assert.equal((await backendState(page)).backend, 'Cpu');
        } else {
            // A real GPU is chosen by itself; a software adapter is offered but not chosen.
            const software = /slower than the CPU/.test(state.gpu);
            assert.equal(state.backend, software ? 'Cpu' : 'WebGpu');
            assert.ok(state.gpuEnabled, 'WebGPU can be picked');
            await page.check('#backend-gpu');
            assert.equal((await backendState(page)).backend, 'WebGpu');
        }

        step('drop a drawing with a 6 px gap and wait for the result');
        await dropFiles(page, [{ name: drawing.name, type: 'image/png', bytes: drawing.png }]);
        await page.waitForSelector(item(drawing.name, 'done'), { timeout: 120_000 });
        const detail = await page.textContent(item(drawing.name));
        step(`queue row: ${detail.replace(/\s+/g, ' ').trim()}`);
        assert.match(detail, mode === 'cpu' ? /on CPU/ : /on WebGPU/);
        assert.ok(await page.$(`${item(drawing.name)} .thumb img`), 'the row has a thumbnail');

        step('download the PNG: the gap is closed, original ink unchanged');
        const changed = checkClosed(await download(page, '#download-png'));
        const layer = await download(page, '#download-layer');
        assert.equal(layer.name, 'gapped-rectangle.closures.png');
        const closures = decodePng(layer.bytes);
        assert.equal(closures.channels, 4);
        const opaque = [];
        for (let i = 0; i < drawing.width * drawing.height; i++) if (closures.pixels[i * 4 + 3]) opaque.push(i);
        assert.deepEqual(opaque, changed, 'the closures layer holds exactly the added pixels');
        const added = Number((await page.textContent('#stats')).match(/(\d+) pixels added/)[1]);
        assert.equal(added, changed.length);

        step('move the slider: keyboard, then mouse');
        assert.equal(await splitValue(page), 50);
        await page.focus('#split');
        await page.keyboard.press('ArrowLeft');
        assert.equal(await splitValue(page), 49);
        await page.keyboard.press('Home');
        assert.equal(await splitValue(page), 0);
        const viewer = await page.locator('.viewer').boundingBox();
        const handle = await page.locator('#split').boundingBox();
        await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
        await page.mouse.down();
        await page.mouse.move(viewer.x + viewer.width * 0.75, viewer.y + viewer.height / 2, { steps: 5 });
        await page.mouse.up();
        assert.ok(Math.abs((await splitValue(page)) - 75) <= 1, `mouse drag moved the split to ${await splitValue(page)}`);
        const grip = await page.locator('#split').boundingBox();
        const [gx, gy] = [grip.x + grip.width / 2, grip.y + grip.height / 2];
        const slide = [0.6, 0.45, 0.3].map((f) => [[viewer.x + viewer.width * f, gy]]);
        await touch(page, [[[gx, gy]], ...slide, []]);
        assert.ok(Math.abs((await splitValue(page)) - 30) <= 1, `touch drag moved the split to ${await splitValue(page)}`);

        step('pinch to zoom, drag to pan');
        const picture = () => page.evaluate(() => document.querySelector('#view').toDataURL());
        const fitted = await picture();
        // Centre the gesture on the top stroke, left of the gap (image pixel 90, 41).
        const fit = Math.min(viewer.width / drawing.width, viewer.height / drawing.height);
        const cx = viewer.x + (viewer.width - drawing.width * fit) / 2 + 90 * fit;
        const cy = viewer.y + (viewer.height - drawing.height * fit) / 2 + 41 * fit;
        await touch(page, [[[cx - 20, cy], [cx + 20, cy]], [[cx - 60, cy], [cx + 60, cy]], [[cx - 120, cy], [cx + 120, cy]], []]);
        const pinched = await settles(picture, (p) => p !== fitted, 'pinching changes the view');
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        await page.mouse.move(cx + 80, cy + 40, { steps: 4 });
        await page.mouse.up();
        await settles(picture, (p) => p !== pinched, 'dragging pans the view');
        await page.click('#zoom-fit');
        await settles(picture, (p) => p === fitted, 'Fit restores the view');
        await page.mouse.move(cx, cy);
        await page.mouse.wheel(0, -400);
        const wheeled = await settles(picture, (p) => p !== fitted, 'the wheel zooms');
        // Zoomed in, pixels are sharp squares: no grey between the black ink and white paper.
        const blurred = await page.evaluate(() => {
            const canvas = document.querySelector('#view');
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let greys = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i] === data[i + 1] && data[i] === data[i + 2] && data[i] > 0 && data[i] < 255) greys++;
            return greys;
        });
        assert.equal(blurred, 0, 'nearest-neighbour drawing when zoomed in');
        assert.notEqual(wheeled, fitted);
        await page.click('#zoom-fit');

        step('toggle the red marking (on at first)');
        await page.focus('#split');
        await page.keyboard.press('Home'); // all "after"
        await settles(() => redPixels(page), (n) => n > 0, 'added pixels show red');
        await page.focus('#split');
        await page.keyboard.press('End'); // all "before": no marks there
        await settles(() => redPixels(page), (n) => n === 0, 'the before side shows no marks');
        await page.keyboard.press('Home');
        await page.uncheck('#marking');
        await settles(() => redPixels(page), (n) => n === 0, 'marking off');
        await page.check('#marking');
        await settles(() => redPixels(page), (n) => n > 0, 'marking on again');
        await page.uncheck('#marking');

        step('zoom in to single pixels and back');
        for (let i = 0; i < 4; i++) await page.click('#zoom-in');
        await page.click('#zoom-fit');

        step('sensitivity re-composites without re-running the model');
        const requestsBefore = log.requests.length;
        const defaultSensitivity = await page.inputValue('#sensitivity');
        const addedNow = async () => Number((await page.textContent('#stats')).match(/(\d+) pixels added/)[1]);
        await page.locator('#sensitivity').fill('1');
        await settles(() => page.textContent('#sensitivity-value'), (v) => v === '0.99', 'threshold shown');
        const fewer = await settles(addedNow, (n) => n < added, 'the lowest sensitivity adds fewer pixels', 1500).catch(() => added);
        await page.locator('#sensitivity').fill('99');
        await settles(() => page.textContent('#sensitivity-value'), (v) => v === '0.01', 'threshold shown');
        const more = await settles(addedNow, (n) => n > added, 'the highest sensitivity adds more pixels', 1500).catch(() => added);
        assert.ok(fewer < added || more > added, `the sensitivity changes the closure (${fewer} / ${added} / ${more} pixels)`);
        step(`${fewer} / ${added} / ${more} pixels added at sensitivity 1 / ${defaultSensitivity} (default) / 99`);
        await page.locator('#sensitivity').fill(defaultSensitivity);
        await settles(addedNow, (n) => n === added, `back to ${added} pixels at the default (had ${fewer})`);
        assert.equal(log.requests.length, requestsBefore);

        step('leak check: closed regions before and after');
        await page.check('#leak-check');
        await page.waitForFunction(() => document.querySelector('#label-after')?.textContent.includes('closed region'));
        assert.equal(await page.textContent('#label-before'), 'Before: 0 closed regions');
        assert.equal(await page.textContent('#label-after'), 'After: 1 closed region');
        await page.uncheck('#leak-check');

        step('the zoomed view runs the file again, one view brings its result back');
        const rowSays = (pattern) =>
            page.waitForFunction(
                ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent.trim() ?? ''),
                [`${item(drawing.name, 'done')} .status`, pattern.source],
                { timeout: 120_000 },
            );
        await page.check('#zoomed-view');
        await rowSays(/ s on .*, zoomed view$/);
        const zoomed = checkClosed(await download(page, '#download-png'));
        step(`${zoomed.length} pixels added with the zoomed view, ${added} with one view`);
        await page.uncheck('#zoomed-view');
        await rowSays(/^Done · [^,]* s on [^,]*$/);
        await settles(addedNow, (n) => n === added, `back to ${added} pixels with one view`);

        step('bad files get inline errors and the rest keeps working');
        await dropFiles(page, [{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('hello, not a drawing') }]);
        await page.waitForSelector(item('notes.txt', 'rejected'));
        assert.match(await page.textContent(item('notes.txt')), /not an image in a supported format/);
        await page.setInputFiles('#file-input', [
            { name: 'broken.png', mimeType: 'image/png', buffer: drawing.png.subarray(0, drawing.png.length - 40) },
            { name: 'huge.png', mimeType: 'image/png', buffer: encodePng(20000, 1, 1, new Uint8Array(20000).fill(255)) },
            { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
        ]);
        await page.waitForSelector(item('empty.png', 'rejected'));
        assert.match(await page.textContent(item('broken.png', 'rejected')), /corrupt or truncated/);
        assert.match(await page.textContent(item('huge.png', 'rejected')), /largest side supported is 16384/);
        assert.match(await page.textContent(item('empty.png', 'rejected')), /empty/);
        assert.ok(await page.$(item(drawing.name, 'done')), 'the good file is still there');
        checkClosed(await download(page, '#download-png'));

        step('a transparent line layer (RGBA) is closed and stays RGBA');
        await closesAlone(page, layerDrawing, layerDrawing.png, 'image/png');
        await page.click(item(drawing.name));

        if (mode === 'cpu') {
            step('a pencil scan lighter than the ink level is levelled, and closes in its own grey');
            // The engine's levels for it: white paper to 0, its pencil grey to full ink.
            const levels = (dark) => dark.map((d) => Math.min(255, Math.round((d * 255) / pencil.darkness)));
            await closesAlone(page, pencil, pencil.png, 'image/png', { says: /levelled to count as ink/, levels });
            assert.doesNotMatch(await page.textContent(item(drawing.name)), /lighter than/);

            step('an uncompressed BMP scan (kept as a PNG on the page) closes and stays RGB');
            const scan = gappedScan();
            await closesAlone(page, scan, scan.bmp, 'image/bmp');
            await page.click(item(drawing.name));
        }

        step('paste a second copy, then export the batch as a ZIP');
        await dropFiles(page, [{ name: drawing.name, type: 'image/png', bytes: drawing.png }], 'paste');
        await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 2, item(drawing.name, 'done'), { timeout: 120_000 });
        const zip = await download(page, '#download-zip');
        assert.equal(zip.name, 'closed-drawings.zip');
        assert.deepEqual(zipNames(zip.bytes), [
            'gapped-rectangle.closed.png',
            'gapped-rectangle.closures.png',
            'gapped-rectangle-2.closed.png',
            'gapped-rectangle-2.closures.png',
        ]);

        if (mode === 'cpu') {
            step("drop a cut's folder: its drawings queue by path, the ZIP keeps its layout");
            const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flg-drop-'));
            for (const cel of ['A', 'B']) {
                fs.mkdirSync(path.join(root, 'cut_012', cel), { recursive: true });
                fs.writeFileSync(path.join(root, 'cut_012', cel, '0001.png'), drawing.png);
            }
            fs.writeFileSync(path.join(root, 'cut_012', 'readme.txt'), 'not a drawing');
            fs.writeFileSync(path.join(root, 'cut_012', 'A', '._0001.png'), 'resource fork');
            fs.mkdirSync(path.join(root, 'empty_cut'));
            await dropPaths(page, [path.join(root, 'cut_012'), path.join(root, 'empty_cut')]);
            const cels = ['cut_012/A/0001.png', 'cut_012/B/0001.png'];
            for (const name of cels) await page.waitForSelector(item(name, 'done'), { timeout: 120_000 });
            assert.match(await page.textContent(item('empty_cut', 'rejected')), /no drawings in this folder/);
            const names = await page.evaluate(() => [...document.querySelectorAll('.queue-item')].map((e) => e.dataset.name));
            assert.ok(!names.some((n) => /readme|\._/.test(n)), `only drawings are queued: ${names}`);
            const layout = zipNames((await download(page, '#download-zip')).bytes);
            assert.ok(layout.includes('cut_012/A/0001.closed.png') && layout.includes('cut_012/B/0001.closures.png'), `ZIP: ${layout}`);
            for (const name of [...cels, 'empty_cut']) await page.click(`${item(name)} .remove`);
            fs.rmSync(root, { recursive: true });
        }

        step('a 3840×2160 frame: the page stays responsive, cancel stops it');
        await dropFiles(page, [{ name: uhd.name, type: 'image/png', bytes: uhd.png }]);
        await page.waitForSelector(item(uhd.name, 'running'), { timeout: 60_000 });
        const t0 = Date.now();
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
        const frameWait = Date.now() - t0;
        step(`a frame was painted within ${frameWait} ms during the run`);
        assert.ok(frameWait < 5000, 'the page keeps painting while the model runs');
        await page.click('#cancel');
        await page.waitForSelector(item(uhd.name, 'cancelled'), { timeout: 60_000 });

        step('no request left this origin, and none at all after load');
        const origin = new URL(server.url).origin;
        const network = log.requests.filter((r) => !/^(blob|data):/.test(r.url));
        const foreign = network.filter((r) => new URL(r.url).origin !== origin);
        assert.deepEqual(foreign, [], 'requests to other origins');
        assert.deepEqual(network.filter((r) => r.afterLoad).map((r) => r.url), [], 'requests after load');
        assert.deepEqual(log.problems, [], 'console errors or page errors');
        step(`${network.length} requests, all at load from ${origin}`);
    } finally {
        await context.close();
    }
}

/** WebGPU only: the device is lost mid-run and the run finishes on the CPU. */
async function gpuLoss(browser, server) {
    const initScript = () => {
        if (!globalThis.GPUAdapter) return;
        const request = GPUAdapter.prototype.requestDevice;
        GPUAdapter.prototype.requestDevice = async function (...args) {
            const device = await request.apply(this, args);
            (globalThis.__devices ??= []).push(device);
            return device;
        };
    };
    const { context, page, log } = await openApp(browser, server, { initScript });
    try {
        step('lose the GPU device in the middle of a run');
        await page.check('#backend-gpu');
        await dropFiles(page, [{ name: big.name, type: 'image/png', bytes: big.png }]);
        await page.waitForFunction(() => {
            const bar = document.querySelector('#run-progress');
            return bar && Number(bar.value) >= 1;
        }, null, { timeout: 120_000 });
        await page.evaluate(() => globalThis.__devices.forEach((d) => d.destroy()));
        await page.waitForSelector(item(big.name, 'done'), { timeout: 600_000 });
        assert.match(await page.textContent('#notice-text'), /finishing on the CPU/);
        assert.equal((await backendState(page)).backend, 'Cpu');
        assert.deepEqual(log.problems.filter((p) => !/device was lost|lost/i.test(p)), [], 'errors other than the loss');
    } finally {
        await context.close();
    }
}

async function run(name, fn) {
    console.log(`${name}`);
    const started = Date.now();
    try {
        await fn();
        console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
        failures++;
        console.log(`FAIL ${name}\n${e.stack ?? e}`);
    }
}

const server = await serveDist();
try {
    if (!only || only === 'cpu') {
        const browser = await launch({ webgpu: false });
        try {
            await run('CPU fallback (no WebGPU)', () => scenario(browser, server, 'cpu'));
        } finally {
            await browser.close();
        }
    }
    if (!only || only === 'webgpu') {
        const browser = await launch({ webgpu: true });
        try {
            const probe = await openApp(browser, server);
            const state = await backendState(probe.page);
            await probe.context.close();
            if (!state.gpuEnabled) {
                console.log(`skip WebGPU: this Chromium offers no adapter (${state.gpu})`);
            } else {
                await run(`WebGPU (${state.gpu})`, () => scenario(browser, server, 'webgpu'));
                await run('WebGPU lost mid-run, finished on the CPU', () => gpuLoss(browser, server));
            }
        } finally {
            await browser.close();
        }
    }
} finally {
    await server.close();
}
console.log(failures ? `${failures} browser test(s) failed` : 'browser tests passed');
process.exit(failures ? 1 : 0);
