//! Which likely-ink paper becomes a closure. A closure bridges two separate places of original
//! ink, at least one of them a stroke's end (or, for a break of at most 2 px that the network
//! is sure of, the side of a stroke: a break next to a junction has no end; 4 px where the
//! stroke's skeleton ends there; about 10 px from a short end, close to its junction), and is
//! as wide as the stroke it starts from: anything else the model hints at is a stray stroke (an
//! extension of a line meant to end, a thickened line, an island, a blob wider than the lines
//! around it, a link between the sides of neighbouring strokes), and stray strokes are what
//! users hate most after leaks.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Up to this far from a stroke's end we look for its width: half the widest line (14 px).
const WIDTH_SEARCH: usize = 7;
/// How far beyond a stroke's half-width we look to tell its end from its side.
const END_RING: f32 = 6.0;
/// How far the search for a bridge goes from a stroke's end, in steps weighted by the
/// network's doubt (1.05 − p each): past the longest gap (16 px) even where the network is
/// unsure, and short enough to keep the work local on large low-threshold components.
const MAX_BRIDGE_COST: f32 = 24.0;
/// Cost per pixel of starting a bridge away from the middle of a stroke's end: a tie-breaker,
/// small against the cost of a step where the network is unsure.
const OFF_MIDDLE_PRICE: f32 = 0.05;
/// A bridge must be this many times shorter than the way the ink already takes between its
/// sides (see [`Bridge::is_shortcut`]).
const DETOUR_FACTOR: f32 = 4.0;
/// The longest bridge, in pixels: the longest gap (16 px) with room to bend.
const MAX_BRIDGE_LENGTH: f32 = 26.0;
/// How far a piece of a place reaches from its first contact (see [`Bridge::pieces`]).
const PIECE_RADIUS: f32 = 3.0;
/// A bridge from the side of a stroke (no end) must be this short, at most 2 px of paper...
const MAX_SIDE_BRIDGE_LENGTH: f32 = 4.0;
/// ...and the network at least this sure of every pixel on it.
const SURE_PROBABILITY: f32 = 0.6;
/// A sure bridge from a stub, a stroke's end too short to pass the end ring before the
/// junction it leaves (its skeleton still ends there), may cross 4 px of paper: the sides of
/// parallel strokes, which it must not join, have no skeleton end.
const MAX_STUB_BRIDGE_LENGTH: f32 = 6.0;
/// A stub whose ink ends within a ring this far beyond its half-width, though not within
/// [`END_RING`], is a short end: a stroke's end that leaves a junction close by, as strokes do
/// in small characters and dense detail. (The edge of a wide stroke passes this ring too, but
/// its skeleton does not end there.)...
const SHORT_END_RING: f32 = 3.0;
/// ...and a bridge from it may be this long (about 10 px of paper)...
const MAX_SHORT_END_BRIDGE_LENGTH: f32 = 12.0;
/// ...where the network is at least this sure of every pixel on it.
const SHORT_END_PROBABILITY: f32 = 0.75;
/// A bridge from a stroke at least this wide (half-width, px; a 5 px stroke)...
const WIDE_HALF_WIDTH: f32 = 2.5;
/// ...needs the network's median certainty along it to be at least this.
const WIDE_CERTAINTY: f32 = 0.65;

/// One flag per pixel: the paper pixels to paint as ink. `candidate` is the paper the model
/// sees as ink, `probability` its per-pixel confidence, `ink` the original ink and `near_end`
/// the pixels near its skeleton's ends.
pub fn bridges(candidate: &[bool], probability: &[f32], ink: &[bool], near_end: &[bool], width: usize, height: usize) -> Vec<bool> {
    let mut keep = vec![false; candidate.len()];
    let mut seen = vec![false; candidate.len()];
    let mut touched = vec![false; candidate.len()];
    let (mut component, mut contacts) = (Vec::new(), Vec::new());
    for start in 0..candidate.len() {
        if !candidate[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        component.clear();
        component.push(start);
        contacts.clear();
        let mut next = 0;
        while next < component.len() {
            let index = component[next];
            next += 1;
            for n in neighbours(index, width, height) {
                if ink[n] && !touched[n] {
                    touched[n] = true;
                    contacts.push(n);
                }
                if candidate[n] && !seen[n] {
                    seen[n] = true;
                    component.push(n);
                }
            }
        }
        for &c in &contacts {
            touched[c] = false;
        }
        let bridge = Bridge::new(&component, &contacts, probability, ink, width, height);
        for index in bridge.trimmed(near_end, width) {
            keep[index] = true;
        }
    }
    keep
}

/// The 8 neighbours of a pixel that lie inside the image.
pub(super) fn neighbours(index: usize, width: usize, height: usize) -> impl Iterator<Item = usize> {
    let (x, y) = ((index % width) as i64, (index / width) as i64);
    (-1..=1i64)
        .flat_map(move |dy| (-1..=1i64).map(move |dx| (x + dx, y + dy)))
        .filter(move |&(nx, ny)| (nx, ny) != (x, y) && nx >= 0 && ny >= 0 && nx < width as i64 && ny < height as i64)
        .map(move |(nx, ny)| ny as usize * width + nx as usize)
}

/// What a pixel of the window around one candidate component is.
#[derive(Clone, Copy, PartialEq)]
enum Cell {
    Other,
    Ink,
    /// Original ink touching the component, numbered by place of contact (from 0).
    Contact(u32),
    Candidate,
}

/// A contact pixel before [`Bridge::number_places`] has grouped it.
const UNNUMBERED: u32 = u32::MAX;

fn is_ink(cell: Cell) -> bool {
    matches!(cell, Cell::Ink | Cell::Contact(_))
}

/// One candidate component in a window of its own (its bounding box plus room to measure
/// the strokes it touches), so the work is proportional to its size, not the image's.
struct Bridge {
    left: usize,
    top: usize,
    width: usize,
    height: usize,
    cells: Vec<Cell>,
    probability: Vec<f32>,
    /// The contact pixels of each place (window indices).
    places: Vec<Vec<usize>>,
}

impl Bridge {
    fn new(component: &[usize], contacts: &[usize], probability: &[f32], ink: &[bool], image_width: usize, image_height: usize) -> Self {
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for &index in component {
            let (x, y) = (index % image_width, index / image_width);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let margin = WIDTH_SEARCH + END_RING as usize + WIDTH_SEARCH + 2;
        let (left, top) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
        let (right, bottom) = ((x1 + margin).min(image_width - 1), (y1 + margin).min(image_height - 1));
        let (width, height) = (right - left + 1, bottom - top + 1);
        let mut bridge = Self {
            left,
            top,
            width,
            height,
            cells: vec![Cell::Other; width * height],
            probability: vec![0.0; width * height],
            places: Vec::new(),
        };
        for y in 0..height {
            for x in 0..width {
                let global = (top + y) * image_width + left + x;
                if ink[global] {
                    bridge.cells[y * width + x] = Cell::Ink;
                }
            }
        }
        for &index in component {
            let local = bridge.local(index, image_width);
            bridge.cells[local] = Cell::Candidate;
            bridge.probability[local] = probability[index];
        }
        for &index in contacts {
            let local = bridge.local(index, image_width);
            bridge.cells[local] = Cell::Contact(UNNUMBERED);
        }
        bridge.number_places(contacts, image_width);
        bridge
    }

    fn local(&self, index: usize, image_width: usize) -> usize {
        (index / image_width - self.top) * self.width + index % image_width - self.left
    }

    fn global(&self, local: usize, image_width: usize) -> usize {
        (self.top + local / self.width) * image_width + self.left + local % self.width
    }

    /// Groups the contact pixels that are 8-connected to each other into places.
    fn number_places(&mut self, contacts: &[usize], image_width: usize) {
        let mut stack = Vec::new();
        for &index in contacts {
            let first = self.local(index, image_width);
            if self.cells[first] != Cell::Contact(UNNUMBERED) {
                continue;
            }
            let place = Cell::Contact(self.places.len() as u32);
            let mut members = vec![first];
            self.cells[first] = place;
            stack.push(first);
            while let Some(local) = stack.pop() {
                for n in neighbours(local, self.width, self.height) {
                    if self.cells[n] == Cell::Contact(UNNUMBERED) {
                        self.cells[n] = place;
                        members.push(n);
                        stack.push(n);
                    }
                }
            }
            self.places.push(members);
        }
    }

    /// The component's pixels to keep, as image indices: from the stroke ends among each
    /// place's contacts (and, for short sure bridges, the other pieces), the network's surest
    /// path to each other place within reach, widened to the half-width of the stroke it
    /// starts from. `near_end` flags the image's pixels near a skeleton's end (stubs).
    fn trimmed(&self, near_end: &[bool], image_width: usize) -> Vec<usize> {
        if self.places.len() < 2 {
            return Vec::new();
        }
        let inside = self.distances_to_paper();
        let mut search = Search::new(self.cells.len());
        let mut along_ink = Search::new(self.cells.len());
        let mut taken = vec![false; self.cells.len()];
        let mut keep = Vec::new();
        for place in 0..self.places.len() {
            let (ends, sides): (Vec<Start>, Vec<Start>) = self
                .pieces(place, &mut taken)
                .into_iter()
                .map(|contacts| {
                    let half_width = self.stroke_half_width(&contacts, &inside);
                    let end = self.is_stroke_end(&contacts, END_RING + half_width);
                    let stub = contacts.iter().any(|&local| near_end[self.global(local, image_width)]);
                    Start {
                        half_width,
                        end,
                        short_end: !end && stub && self.is_stroke_end(&contacts, SHORT_END_RING + half_width),
                        stub,
                        contacts,
                    }
                })
                .partition(|start| start.end);
            // From the stroke ends first; then, from the sides of strokes, only the short bridges
            // the network is sure of to places not bridged yet: a break cut right next to a
            // junction has no end on either side.
            let mut bridged = vec![false; self.places.len()];
            for (starts, from_side) in [(ends, false), (sides, true)] {
                if starts.is_empty() {
                    continue;
                }
                let sure_of = |path: &[usize], certainty: f32| path.iter().all(|&local| self.probability[local] >= certainty);
                let allowed = |start: &Start, path: &[usize], length: f32| {
                    if !from_side {
                        return length <= MAX_BRIDGE_LENGTH;
                    }
                    let side_length = if start.stub { MAX_STUB_BRIDGE_LENGTH } else { MAX_SIDE_BRIDGE_LENGTH };
                    (length <= side_length && sure_of(path, SURE_PROBABILITY))
                        || (start.short_end && length <= MAX_SHORT_END_BRIDGE_LENGTH && sure_of(path, SHORT_END_PROBABILITY))
                };
                let paths: Vec<(Vec<usize>, usize, usize, f32)> = self
                    .surest_paths(place, &starts, &mut search)
                    .into_iter()
                    .map(|(path, start, other)| {
                        let length = path.windows(2).map(|step| step_length(step[0], step[1], self.width)).sum::<f32>() + 2.0;
                        (path, start, other, length)
                    })
                    .filter(|(path, start, other, length)| !(from_side && bridged[*other]) && allowed(&starts[*start], path, *length))
                    .collect();
                let Some(longest) = paths.iter().map(|&(_, _, _, length)| length).reduce(f32::max) else { continue };
                // Along the ink from these starts, how far each other place is, as far as it matters.
                let sources = starts.iter().flat_map(|start| start.contacts.iter().map(|&local| (local, 0.0)));
                along_ink.run(self.width, self.height, sources, |local| is_ink(self.cells[local]), |_| 1.0, DETOUR_FACTOR * longest);
                for (path, start, other, length) in paths {
                    if !self.is_shortcut(length, other, &along_ink) {
                        continue;
                    }
                    // A false closure of a wide stroke is a blob, many pixels of stray ink.
                    if starts[start].half_width >= WIDE_HALF_WIDTH && self.median_probability(&path) < WIDE_CERTAINTY {
                        continue;
                    }
                    bridged[other] = true;
                    // A closure continues the stroke it starts from, so it is as wide as that stroke.
                    let radius = starts[start].half_width - 0.5;
                    let sources = path.iter().map(|&local| (local, 0.0));
                    search.run(self.width, self.height, sources, |local| self.is_candidate(local), |_| 1.0, radius);
                    keep.extend(search.touched.iter().copied().filter(|&local| search.cost[local] <= radius));
                }
            }
        }
        keep.sort_unstable();
        keep.dedup();
        keep.into_iter().map(|local| self.global(local, image_width)).collect()
    }

    fn median_probability(&self, path: &[usize]) -> f32 {
        let mut values: Vec<f32> = path.iter().map(|&local| self.probability[local]).collect();
        values.sort_unstable_by(f32::total_cmp);
        values[values.len() / 2]
    }

    fn is_candidate(&self, local: usize) -> bool {
        self.cells[local] == Cell::Candidate
    }

    /// The contacts of `place` cut into pieces no wider than a stroke's end, so that a place
    /// running along a stroke's side (where the network also sees its anti-aliased fringe as
    /// ink) still shows where the stroke ends.
    fn pieces(&self, place: usize, taken: &mut [bool]) -> Vec<Vec<usize>> {
        let mut pieces = Vec::new();
        let mut stack = Vec::new();
        for &first in &self.places[place] {
            if taken[first] {
                continue;
            }
            let origin = position(first, self.width);
            let near = |local: usize| distance(local, origin, self.width) <= PIECE_RADIUS;
            taken[first] = true;
            let mut piece = vec![first];
            stack.push(first);
            while let Some(local) = stack.pop() {
                for n in neighbours(local, self.width, self.height) {
                    if !taken[n] && self.cells[n] == Cell::Contact(place as u32) && near(n) {
                        taken[n] = true;
                        piece.push(n);
                        stack.push(n);
                    }
                }
            }
            pieces.push(piece);
        }
        pieces
    }

    /// The component's pixels next to `contacts`.
    fn next_to<'a>(&'a self, contacts: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
        contacts.iter().flat_map(|&contact| neighbours(contact, self.width, self.height)).filter(|&n| self.is_candidate(n))
    }

    /// From the `starts` of `place`, the surest path to each other place within reach (the
    /// cheapest through the component, where a step costs more the less sure the network is),
    /// each with the start it leaves from.
    fn surest_paths(&self, place: usize, starts: &[Start], search: &mut Search) -> Vec<(Vec<usize>, usize, usize)> {
        let price = |local: usize| 1.05 - self.probability[local];
        // Starting off the middle of the stroke's end costs a little, so where the network is
        // equally sure across a blob the closure continues the stroke instead of jogging aside.
        let mut entries: BTreeMap<usize, (f32, usize)> = BTreeMap::new();
        for (index, start) in starts.iter().enumerate() {
            let centre = middle(&start.contacts, self.width);
            for local in self.next_to(&start.contacts) {
                let cost = OFF_MIDDLE_PRICE * distance(local, centre, self.width);
                let best = entries.entry(local).or_insert((cost, index));
                if cost < best.0 {
                    *best = (cost, index);
                }
            }
        }
        let sources = entries.iter().map(|(&local, &(cost, _))| (local, cost));
        search.run(self.width, self.height, sources, |local| self.is_candidate(local), price, MAX_BRIDGE_COST);
        // Where the search first arrives next to each other place.
        let mut arrival: Vec<Option<usize>> = vec![None; self.places.len()];
        for &local in &search.touched {
            for n in neighbours(local, self.width, self.height) {
                let Cell::Contact(other) = self.cells[n] else { continue };
                let best = &mut arrival[other as usize];
                if other as usize != place && best.is_none_or(|b| search.cost[local] < search.cost[b]) {
                    *best = Some(local);
                }
            }
        }
        let mut paths = Vec::new();
        for (other, arrived) in arrival.into_iter().enumerate() {
            let Some(mut at) = arrived else { continue };
            let mut path = vec![at];
            while search.from[at] != usize::MAX {
                at = search.from[at];
                path.push(at);
            }
            paths.push((path, entries[&at].1, other));
        }
        paths
    }

    /// Whether a bridge of `length` to place `other` is a shortcut, as gaps are: the original
    /// ink joins its two sides only by a way much longer than the bridge, or not nearby at
    /// all. A path along the stroke it starts from (through the anti-aliased fringe the
    /// network also sees as ink) would only thicken that stroke.
    fn is_shortcut(&self, length: f32, other: usize, along_ink: &Search) -> bool {
        let detour = self.places[other].iter().map(|&local| along_ink.cost[local]).fold(f32::INFINITY, f32::min);
        detour > DETOUR_FACTOR * length
    }

    /// Whether the original ink ends at `contacts`: the ink reached from them without leaving a
    /// disc of `radius` around them crosses the disc's rim exactly once. A place on the side of a
    /// stroke crosses it twice and a dot not at all. A closure starts from a stroke's end,
    /// except a short sure one: a bridge that joins only sides of strokes or specks is
    /// otherwise a false closure.
    fn is_stroke_end(&self, contacts: &[usize], radius: f32) -> bool {
        let disc = self.reach(contacts, radius + 1.0);
        let steps = (std::f32::consts::TAU * radius).ceil() as usize * 2;
        let on_rim = |step: usize| {
            let angle = step as f32 / steps as f32 * std::f32::consts::TAU;
            disc.reached(disc.cx + radius * angle.cos(), disc.cy + radius * angle.sin())
        };
        let crossings = (0..steps).filter(|&step| on_rim(step) && !on_rim((step + steps - 1) % steps)).count();
        crossings == 1
    }

    /// The original ink reached from `contacts` without leaving a disc of `radius` around
    /// their middle.
    fn reach(&self, contacts: &[usize], radius: f32) -> Disc {
        let (cx, cy) = middle(contacts, self.width);
        let mut disc = Disc::new(cx, cy, radius);
        let mut stack: Vec<usize> = contacts.iter().copied().filter(|&l| disc.mark(l, self.width)).collect();
        while let Some(local) = stack.pop() {
            for n in neighbours(local, self.width, self.height) {
                if is_ink(self.cells[n]) && disc.mark(n, self.width) {
                    stack.push(n);
                }
            }
        }
        disc
    }

    /// Per window pixel, its distance to paper (0 on paper): a two-pass chamfer transform
    /// with steps of 1 and √2.
    fn distances_to_paper(&self) -> Vec<f32> {
        let (w, h) = (self.width, self.height);
        let mut d: Vec<f32> = self.cells.iter().map(|&c| if is_ink(c) { f32::INFINITY } else { 0.0 }).collect();
        let diagonal = std::f32::consts::SQRT_2;
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let mut best = d[i];
                if x > 0 {
                    best = best.min(d[i - 1] + 1.0);
                }
                if y > 0 {
                    best = best.min(d[i - w] + 1.0);
                    if x > 0 {
                        best = best.min(d[i - w - 1] + diagonal);
                    }
                    if x + 1 < w {
                        best = best.min(d[i - w + 1] + diagonal);
                    }
                }
                d[i] = best;
            }
        }
        for y in (0..h).rev() {
            for x in (0..w).rev() {
                let i = y * w + x;
                let mut best = d[i];
                if x + 1 < w {
                    best = best.min(d[i + 1] + 1.0);
                }
                if y + 1 < h {
                    best = best.min(d[i + w] + 1.0);
                    if x + 1 < w {
                        best = best.min(d[i + w + 1] + diagonal);
                    }
                    if x > 0 {
                        best = best.min(d[i + w - 1] + diagonal);
                    }
                }
                d[i] = best;
            }
        }
        d
    }

    /// Half the width of the stroke touched at `contacts`: the largest distance to paper of the
    /// ink reached from them nearby (1 for a hairline).
    fn stroke_half_width(&self, contacts: &[usize], inside: &[f32]) -> f32 {
        let disc = self.reach(contacts, WIDTH_SEARCH as f32);
        disc.members(self.width).filter(|&l| inside[l].is_finite()).map(|l| inside[l]).fold(1.0, f32::max)
    }
}

/// A piece of a place's contacts where a bridge may start, how wide its stroke is, whether
/// the ink ends there, and whether it is near a skeleton's end.
struct Start {
    contacts: Vec<usize>,
    half_width: f32,
    /// Whether the ink ends there ([`END_RING`]).
    end: bool,
    /// Whether, though not an end, it is a stub whose ink ends within [`SHORT_END_RING`].
    short_end: bool,
    stub: bool,
}

/// Where window pixel `local` lies, as `(x, y)`.
fn position(local: usize, window_width: usize) -> (f32, f32) {
    ((local % window_width) as f32, (local / window_width) as f32)
}

/// How far window pixel `local` lies from `point`.
fn distance(local: usize, point: (f32, f32), window_width: usize) -> f32 {
    let (x, y) = position(local, window_width);
    (x - point.0).hypot(y - point.1)
}

/// The mean position of window pixels.
fn middle(pixels: &[usize], window_width: usize) -> (f32, f32) {
    let n = pixels.len() as f32;
    let (sx, sy) = pixels.iter().map(|&l| position(l, window_width)).fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
    (sx / n, sy / n)
}

/// The length of a step between 8-neighbours: 1 straight, √2 diagonally.
fn step_length(from: usize, to: usize, width: usize) -> f32 {
    if from % width != to % width && from / width != to / width { std::f32::consts::SQRT_2 } else { 1.0 }
}

/// Dijkstra over a window with buffers kept between runs: each run costs what it reaches,
/// not the window's size.
struct Search {
    cost: Vec<f32>,
    from: Vec<usize>,
    /// The pixels the last run reached.
    touched: Vec<usize>,
    heap: BinaryHeap<Reverse<(u32, usize)>>,
}

impl Search {
    fn new(size: usize) -> Self {
        Self { cost: vec![f32::INFINITY; size], from: vec![usize::MAX; size], touched: Vec::new(), heap: BinaryHeap::new() }
    }

    /// Cheapest paths from the `sources` (each with its starting cost) through `passable`
    /// pixels, where entering a pixel costs the step length (1 or √2) times its `price`, up to
    /// a cost of `limit`; leaves the cost and previous pixel (`usize::MAX` for sources) of
    /// each pixel reached.
    fn run(
        &mut self,
        width: usize,
        height: usize,
        sources: impl Iterator<Item = (usize, f32)>,
        passable: impl Fn(usize) -> bool,
        price: impl Fn(usize) -> f32,
        limit: f32,
    ) {
        for local in self.touched.drain(..) {
            self.cost[local] = f32::INFINITY;
            self.from[local] = usize::MAX;
        }
        self.heap.clear();
        for (local, start) in sources {
            if start < self.cost[local] {
                if self.cost[local].is_infinite() {
                    self.touched.push(local);
                }
                self.cost[local] = start;
                self.heap.push(Reverse((start.to_bits(), local)));
            }
        }
        // Costs are never negative, so their bit patterns sort like the numbers.
        while let Some(Reverse((bits, local))) = self.heap.pop() {
            if f32::from_bits(bits) > self.cost[local] {
                continue;
            }
            for n in neighbours(local, width, height) {
                if !passable(n) {
                    continue;
                }
                let next = self.cost[local] + step_length(local, n, width) * price(n);
                if next < self.cost[n] && next <= limit {
                    if self.cost[n].is_infinite() {
                        self.touched.push(n);
                    }
                    self.cost[n] = next;
                    self.from[n] = local;
                    self.heap.push(Reverse((next.to_bits(), n)));
                }
            }
        }
    }
}

/// Pixels marked within a disc of the window, kept in a grid over the disc's bounding box so
/// the work per place does not grow with the window.
struct Disc {
    cx: f32,
    cy: f32,
    radius: f32,
    left: i64,
    top: i64,
    side: usize,
    marked: Vec<bool>,
}

impl Disc {
    fn new(cx: f32, cy: f32, radius: f32) -> Self {
        let side = 2 * radius.ceil() as usize + 3;
        let (left, top) = ((cx - radius).floor() as i64 - 1, (cy - radius).floor() as i64 - 1);
        Self { cx, cy, radius, left, top, side, marked: vec![false; side * side] }
    }

    fn slot(&self, x: i64, y: i64) -> Option<usize> {
        let (dx, dy) = (x - self.left, y - self.top);
        (dx >= 0 && dy >= 0 && (dx as usize) < self.side && (dy as usize) < self.side).then(|| dy as usize * self.side + dx as usize)
    }

    /// Marks window pixel `local` if it lies in the disc and was not marked yet.
    fn mark(&mut self, local: usize, window_width: usize) -> bool {
        if distance(local, (self.cx, self.cy), window_width) > self.radius {
            return false;
        }
        let (x, y) = position(local, window_width);
        match self.slot(x as i64, y as i64) {
            Some(slot) if !self.marked[slot] => {
                self.marked[slot] = true;
                true
            }
            _ => false,
        }
    }

    fn reached(&self, x: f32, y: f32) -> bool {
        self.slot(x.round() as i64, y.round() as i64).is_some_and(|slot| self.marked[slot])
    }

    /// The marked pixels as window indices.
    fn members(&self, window_width: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.marked.len()).filter(|&slot| self.marked[slot]).map(move |slot| {
            let (x, y) = (self.left + (slot % self.side) as i64, self.top + (slot / self.side) as i64);
            y as usize * window_width + x as usize
        })
    }
}
