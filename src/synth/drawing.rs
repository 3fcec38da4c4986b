//! Procedural line art: closed shapes (smooth or rough), curves with pen pressure, junctions,
//! corners, hatching, tapered hair strands, bark-like rough strokes, clusters of small shapes
//! and dots, stipple, faint construction lines and solid blacks, at widths of 1 to 14 px.

use std::f32::consts::TAU;

use super::{Canvas, Rng};

type Point = (f32, f32);

/// How one drawing is inked: every stroke in it shares a pen.
struct Pen {
    width: f32,
    aliased: bool,
    ink: f32,
}

/// A clean drawing of `size × size` pixels.
pub fn procedural(size: usize, rng: &mut Rng) -> Canvas {
    let mut canvas = Canvas::new(size, size);
    let pen = Pen {
        width: if rng.chance(0.7) { rng.range(1.0, 5.0) } else { rng.range(5.0, 14.0) },
        aliased: rng.chance(0.25),
        ink: if rng.chance(0.8) { 1.0 } else { rng.range(0.6, 1.0) },
    };
    let s = size as f32;
    let mut strokes: Vec<Vec<(f32, f32, f32)>> = Vec::new();
    let elements = rng.below(4, 10);
    for _ in 0..elements {
        let stroke = match rng.below(0, 12) {
            0..=2 => closed_shape(s, &pen, rng),
            3..=4 => pressure_curve(s, &pen, rng),
            5 => corner_polyline(s, &pen, rng),
            6 if !strokes.is_empty() => junction(&strokes, &pen, rng),
            7 => hair_strand(s, &pen, rng),
            8 => {
                hatching(&mut canvas, s, &pen, rng);
                continue;
            }
            9 => {
                stipple(&mut canvas, s, &pen, rng);
                continue;
            }
            10 => {
                bark(&mut canvas, s, &pen, rng);
                continue;
            }
            _ => {
                speckles(&mut canvas, s, &pen, rng);
                continue;
            }
        };
        canvas.stroke(&stroke, pen.ink, pen.aliased);
        strokes.push(stroke);
    }
    if rng.chance(0.15) {
        solid_black(&mut canvas, s, rng);
    }
    if rng.chance(0.3) {
        // Construction lines: too faint to be ink, and never to be closed.
        for _ in 0..rng.below(1, 4) {
            let faint = Pen { width: rng.range(0.8, 2.0), aliased: false, ink: rng.range(0.1, 0.35) };
            let stroke = pressure_curve(s, &faint, rng);
            canvas.stroke(&stroke, faint.ink, false);
        }
    }
    canvas
}

fn point(s: f32, rng: &mut Rng) -> Point {
    (rng.range(-0.1, 1.1) * s, rng.range(-0.1, 1.1) * s)
}

/// Pen pressure along a stroke: a little variation, thinner at the ends.
fn pressure(t: f32, width: f32, taper_in: bool, taper_out: bool, wobble: f32) -> f32 {
    let mut r = width / 2.0 * (1.0 + wobble * (t * TAU * 1.3).sin());
    if taper_in && t < 0.15 {
        r *= t / 0.15;
    }
    if taper_out && t > 0.85 {
        r *= (1.0 - t) / 0.15;
    }
    r.max(0.35)
}

fn bezier(p: [Point; 4], t: f32) -> Point {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0, a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1)
}

fn pressure_curve(s: f32, pen: &Pen, rng: &mut Rng) -> Vec<(f32, f32, f32)> {
    let p = [point(s, rng), point(s, rng), point(s, rng), point(s, rng)];
    let wobble = rng.range(0.0, 0.3);
    let (taper_in, taper_out) = (rng.chance(0.3), rng.chance(0.3));
    (0..=120)
        .map(|i| {
            let t = i as f32 / 120.0;
            let (x, y) = bezier(p, t);
            (x, y, pressure(t, pen.width, taper_in, taper_out, wobble))
        })
        .collect()
}

/// Ellipses and blobs: the closed regions that bucket fill must not leak out of.
fn closed_shape(s: f32, pen: &Pen, rng: &mut Rng) -> Vec<(f32, f32, f32)> {
    let (cx, cy) = (rng.range(0.1, 0.9) * s, rng.range(0.1, 0.9) * s);
    let (rx, ry) = (rng.range(0.08, 0.45) * s, rng.range(0.08, 0.45) * s);
    let rotation = rng.range(0.0, TAU);
    let lobes: Vec<(f32, f32)> = (0..3).map(|_| (rng.range(0.0, 0.25), rng.range(0.0, TAU))).collect();
    let wobble = rng.range(0.0, 0.25);
    // Some outlines are rough (coastlines, fur, foliage): ripples of a few pixels over
    // wavelengths of 8 to 60 px along the outline.
    let perimeter = TAU * (rx + ry) / 2.0;
    let ripples: Vec<(f32, f32, f32)> = if rng.chance(0.35) {
        (0..rng.below(2, 5))
            .map(|_| {
                let wavelength = rng.range(8.0, 60.0);
                ((perimeter / wavelength).round().max(1.0), rng.range(0.5, 0.12 * wavelength), rng.range(0.0, TAU))
            })
            .collect()
    } else {
        Vec::new()
    };
    let n = if ripples.is_empty() { 160 } else { 600 };
    (0..=n)
        .map(|i| {
            let a = i as f32 / n as f32 * TAU;
            let bump: f32 = lobes.iter().enumerate().map(|(k, &(amp, phase))| amp * ((k + 2) as f32 * a + phase).sin()).sum();
            let ripple: f32 = ripples.iter().map(|&(k, px, phase)| px * (k * a + phase).sin()).sum();
            let (x, y) = ((rx * (1.0 + bump) + ripple) * a.cos(), (ry * (1.0 + bump) + ripple) * a.sin());
            let (sin, cos) = rotation.sin_cos();
            (cx + x * cos - y * sin, cy + x * sin + y * cos, pressure(i as f32 / n as f32, pen.width, false, false, wobble))
        })
        .collect()
}

fn corner_polyline(s: f32, pen: &Pen, rng: &mut Rng) -> Vec<(f32, f32, f32)> {
    let corners = rng.below(3, 6);
    let r = pen.width / 2.0;
    let mut points: Vec<(f32, f32, f32)> = (0..corners)
        .map(|_| {
            let (x, y) = point(s, rng);
            (x, y, r)
        })
        .collect();
    if rng.chance(0.5) {
        points.push(points[0]);
    }
    points
}

/// A stroke that starts on an existing one (T and Y junctions; L when it starts at an end).
fn junction(strokes: &[Vec<(f32, f32, f32)>], pen: &Pen, rng: &mut Rng) -> Vec<(f32, f32, f32)> {
    let host = &strokes[rng.below(0, strokes.len())];
    let at = rng.below(1, host.len().max(2) - 1).min(host.len() - 1);
    let (x, y, _) = host[at];
    let (px, py, _) = host[at.saturating_sub(1)];
    let tangent = (y - py).atan2(x - px);
    let angle = tangent + std::f32::consts::FRAC_PI_2 * if rng.chance(0.5) { 1.0 } else { -1.0 } + rng.range(-0.7, 0.7);
    let length = rng.range(20.0, 120.0);
    let bend = rng.range(-0.6, 0.6);
    let wobble = rng.range(0.0, 0.2);
    (0..=60)
        .map(|i| {
            let t = i as f32 / 60.0;
            let a = angle + bend * t;
            (x + a.cos() * length * t, y + a.sin() * length * t, pressure(t, pen.width, false, false, wobble))
        })
        .collect()
}

/// Long strands that taper to a point: open ends that must stay open.
fn hair_strand(s: f32, pen: &Pen, rng: &mut Rng) -> Vec<(f32, f32, f32)> {
    let p = [point(s, rng), point(s, rng), point(s, rng), point(s, rng)];
    (0..=120)
        .map(|i| {
            let t = i as f32 / 120.0;
            let (x, y) = bezier(p, t);
            (x, y, (pen.width / 2.0 * (1.0 - t).powf(0.7)).max(0.3))
        })
        .collect()
}

/// Parallel short strokes with free ends (shading): more ends that must stay open.
fn hatching(canvas: &mut Canvas, s: f32, pen: &Pen, rng: &mut Rng) {
    let (cx, cy) = (rng.range(0.1, 0.9) * s, rng.range(0.1, 0.9) * s);
    let angle = rng.range(0.0, TAU);
    let (dx, dy) = (angle.cos(), angle.sin());
    let spacing = rng.range(pen.width * 1.5 + 3.0, pen.width * 3.0 + 8.0);
    let length = rng.range(10.0, 40.0);
    let width = (pen.width * 0.6).max(0.8);
    for k in 0..rng.below(3, 9) {
        let offset = k as f32 * spacing;
        let (ox, oy) = (cx - dy * offset, cy + dx * offset);
        let stroke: Vec<(f32, f32, f32)> = (0..=20)
            .map(|i| {
                let t = i as f32 / 20.0;
                (ox + dx * length * t, oy + dy * length * t, pressure(t, width, true, true, 0.0))
            })
            .collect();
        canvas.stroke(&stroke, pen.ink, pen.aliased);
    }
}

/// A cluster of small closed shapes, dots and dashes a few pixels apart (spots, eyes, stipple,
/// texture): nothing in it is a gap, so nothing between them may be joined.
fn speckles(canvas: &mut Canvas, s: f32, pen: &Pen, rng: &mut Rng) {
    let (cx, cy) = (rng.range(0.1, 0.9) * s, rng.range(0.1, 0.9) * s);
    let spread = rng.range(15.0, 50.0);
    let width = pen.width.min(4.0);
    for _ in 0..rng.below(4, 14) {
        let (x, y) = (cx + rng.range(-spread, spread), cy + rng.range(-spread, spread));
        match rng.below(0, 3) {
            0 => canvas.stamp(x, y, rng.range(1.0, 4.0), pen.ink, pen.aliased),
            1 => {
                let (rx, ry, turn) = (rng.range(2.0, 10.0) + width, rng.range(2.0, 10.0) + width, rng.range(0.0, TAU));
                let ring: Vec<(f32, f32, f32)> = (0..=40)
                    .map(|i| {
                        let a = i as f32 / 40.0 * TAU;
                        let (px, py) = (rx * a.cos(), ry * a.sin());
                        (x + px * turn.cos() - py * turn.sin(), y + px * turn.sin() + py * turn.cos(), width / 2.0)
                    })
                    .collect();
                canvas.stroke(&ring, pen.ink, pen.aliased);
            }
            _ => {
                let (length, angle) = (rng.range(3.0, 12.0), rng.range(0.0, TAU));
                let dash = [(x, y, width / 2.0), (x + angle.cos() * length, y + angle.sin() * length, width / 2.0)];
                canvas.stroke(&dash, pen.ink, pen.aliased);
            }
        }
    }
}

/// Dense dots over an area (stipple, screentone, scanned texture): strokes that cross it keep
/// their gaps, and nothing between the dots is a gap.
fn stipple(canvas: &mut Canvas, s: f32, pen: &Pen, rng: &mut Rng) {
    let (cx, cy) = (rng.range(0.0, 1.0) * s, rng.range(0.0, 1.0) * s);
    let radius = rng.range(20.0, 90.0);
    let density = rng.range(0.004, 0.03);
    let dots = (density * std::f32::consts::PI * radius * radius) as usize;
    let size = rng.range(0.5, 2.0);
    for _ in 0..dots {
        let (r, a) = (radius * rng.unit().sqrt(), rng.range(0.0, TAU));
        canvas.stamp(cx + r * a.cos(), cy + r * a.sin(), size * rng.range(0.6, 1.4), pen.ink, pen.aliased);
    }
}

/// Rough, roughly parallel strokes with blunt ends (bark, wood grain, folds): ends that look
/// like the sides of a gap but must stay open.
fn bark(canvas: &mut Canvas, s: f32, pen: &Pen, rng: &mut Rng) {
    let (cx, cy) = (rng.range(0.1, 0.9) * s, rng.range(0.1, 0.9) * s);
    let angle = rng.range(0.0, TAU);
    let (dx, dy) = (angle.cos(), angle.sin());
    let width = (pen.width * rng.range(0.5, 1.0)).max(0.8);
    for _ in 0..rng.below(3, 10) {
        let (along, across) = (rng.range(-40.0, 40.0), rng.range(-40.0, 40.0));
        let (ox, oy) = (cx + dx * along - dy * across, cy + dy * along + dx * across);
        let length = rng.range(8.0, 60.0);
        let (amplitude, wavelength, phase) = (rng.range(0.0, 4.0), rng.range(8.0, 30.0), rng.range(0.0, TAU));
        let steps = (length / 2.0).ceil() as usize;
        let stroke: Vec<(f32, f32, f32)> = (0..=steps)
            .map(|i| {
                let t = i as f32 / steps as f32;
                let side = amplitude * (t * length / wavelength * TAU + phase).sin();
                (ox + dx * length * t - dy * side, oy + dy * length * t + dx * side, pressure(t, width, false, false, 0.2))
            })
            .collect();
        canvas.stroke(&stroke, pen.ink, pen.aliased);
    }
}

fn solid_black(canvas: &mut Canvas, s: f32, rng: &mut Rng) {
    let (cx, cy) = (rng.range(0.0, 1.0) * s, rng.range(0.0, 1.0) * s);
    let r = rng.range(0.05, 0.2) * s;
    canvas.stamp(cx, cy, r, 1.0, false);
}
