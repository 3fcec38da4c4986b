//! `fill-line-gaps`: closes the gaps in batches of drawings, and trains the model.

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h`, which libmimalloc-sys leaves unnamed.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Keep freed memory for the next tile or training step instead of returning it to the OS
    // after 10 ms: each one allocates the same large buffers again, and the kernel zeroed the
    // returned pages anew every time (18 % of a two-view benchmark; BENCHMARKS.md).
    // SAFETY: sets an option's value; mimalloc reads it whenever it considers a purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    cli::run()
}
