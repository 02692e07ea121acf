//! The `zhiku` command: parse the arguments, call the library, print the error chain.

mod cli;

use std::process::ExitCode;

/// A build allocates and frees millions of small strings, many on one thread and freed on
/// another: mimalloc does that with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (v3, `include/mimalloc.h`), which libmimalloc-sys does not
/// name: how long freed memory waits before it is given back to the system (1 s by default).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // What one stage frees, a later one needs: memory given back to the system comes back as
    // fresh pages the kernel must clear, about a tenth of a full build's time. Keep it.
    // SAFETY: sets a plain option of the allocator; no pointer is involved.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    small_pages_only();
    let args = <cli::Cli as clap::Parser>::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Transparent huge pages off for this process. mimalloc asks for them on its arenas, and the kernel
/// then zeroes 2 MiB on the first touch of any byte in it, parts no allocation ever uses included.
/// With 4 KiB pages, only the pages used are zeroed: a full build of 10,000 articles peaks about
/// 55 MB lower, and a rebuild after adding one spends about a quarter less time in the kernel
/// (docs/PERFORMANCE.md). A kernel without the option leaves things as they were.
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: a prctl that sets a flag of this process's memory; no pointer is involved.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_that_defaults_to_a_second_and_is_set_off() {
        // SAFETY: reads and sets plain options of the allocator.
        let (default, set) = unsafe {
            let default = libmimalloc_sys::mi_option_get(PURGE_DELAY);
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
            (default, libmimalloc_sys::mi_option_get(PURGE_DELAY))
        };
        assert_eq!((default, set), (1000, -1));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_off_for_the_process_once_asked() {
        small_pages_only();
        // SAFETY: reads a flag of this process's memory.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
