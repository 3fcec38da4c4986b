//! `fill-line-gaps`: closes the gaps in batches of drawings, and trains the model.

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h`, which libmimalloc-sys leaves unnamed.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Keep freed memory for the next frame or training step instead of returning it to the OS
    // after a second: each one allocates the same large buffers again, and the kernel zeroed
    // the returned pages anew every time (18 % of a two-view benchmark; BENCHMARKS.md).
    // SAFETY: sets an option's value; mimalloc reads it whenever it considers a purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    cli::run()
}

#[cfg(test)]
mod tests {
    use super::PURGE_DELAY;

    /// mimalloc reads `MIMALLOC_PURGE_DELAY` (1,000 ms when unset) into the option it names.
    #[test]
    fn purge_delay_holds_what_mimalloc_read_from_its_variable() {
        let expected = std::env::var("MIMALLOC_PURGE_DELAY").map_or(1000, |value| value.parse().unwrap());
        // SAFETY: reads an option's value.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, expected);
    }

    /// The test above, in a fresh process whose mimalloc read a value no other option has.
    #[test]
    fn purge_delay_names_the_option_of_mimalloc_purge_delay() {
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "tests::purge_delay_holds_what_mimalloc_read_from_its_variable"])
            .env("MIMALLOC_PURGE_DELAY", "1234")
            .output()
            .unwrap();
        assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stdout));
    }
}
