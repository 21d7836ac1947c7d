//! How the allocator trades memory for time, chosen by the size of the input.
//!
//! Three settings matter, all measured on generated rulesets against `nft -c`'s own peak:
//! - mimalloc hands freed memory back to the kernel only after a second, and asks for 2 MiB
//!   (transparent huge) pages. On a 1,000-rule file that made the peak 28 MiB where nft needs
//!   10; with huge pages off and freed memory returned at once, it is 9 MiB.
//! - On a large file, the same two settings cost time: every 4 KiB page faulted in again is a
//!   trap. Returning memory at once made a 10,000-rule check 30% slower, and huge pages make a
//!   50,000-rule check about a fifth faster.
//! - Freeing a large model before the process exits takes a twentieth of the check; a small one
//!   freed before the report is drawn lowers the peak.
//!
//! So the process starts frugal, and [`for_input`] relaxes it once the input's size is known.

/// Inputs from this size on (about 4,000 rules) keep freed memory for reuse, and their models
/// are left to the process's exit rather than freed allocation by allocation (on a 1,000-rule
/// file, freeing the model before the report is drawn keeps the peak 0.5 MiB lower).
const KEEP_FREED_FROM_BYTES: usize = 256 << 10;
/// Inputs from this size on (about 15,000 rules) get huge pages.
const HUGE_PAGES_FROM_BYTES: usize = 1 << 20;

/// mimalloc's `mi_option_purge_delay`: how long freed memory waits before it goes back to the
/// kernel, in milliseconds. The bindings do not name it; a test holds the number to the option.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// mimalloc's default for it.
const DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// Runs from the program's constructors, before `main`: the runtime's first allocations would
/// otherwise already fault in huge pages.
#[used]
#[unsafe(link_section = ".init_array")]
static FRUGAL_BEFORE_MAIN: extern "C" fn() = {
    extern "C" fn frugal() {
        huge_pages(false);
        // SAFETY: setting an option is a store mimalloc reads at its next purge; nothing else
        // runs yet.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
    frugal
};

/// Relaxes the settings for inputs of `bytes` together.
pub(crate) fn for_input(bytes: usize) {
    if bytes >= KEEP_FREED_FROM_BYTES {
        keep_freed();
        nftlint_analyzer::leave_models_to_exit();
    }
    if bytes >= HUGE_PAGES_FROM_BYTES {
        huge_pages(true);
    }
}

/// The language server checks a document again on every change: freed memory is kept for the
/// next check, which would otherwise fault it all in again. Huge pages stay off: the server lives
/// long, beside an editor.
pub(crate) fn for_server() {
    keep_freed();
}

fn keep_freed() {
    // SAFETY: as above; this runs before the analysis or the server start their threads.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, DEFAULT_PURGE_DELAY) };
}

/// The kernel reads the setting on each page fault, so it applies from here on, also to memory
/// mimalloc reserved before.
#[cfg(target_os = "linux")]
fn huge_pages(enabled: bool) {
    // SAFETY: PR_SET_THP_DISABLE takes one integer and touches no memory; it only changes how
    // this process's later page faults are served. On a kernel without it, the call fails and
    // the default stays, which is harmless.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(!enabled),
            0,
            0,
            0,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn huge_pages(_enabled: bool) {}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, c_char, c_void};

    use super::*;

    unsafe extern "C" {
        /// mimalloc's own listing of its options, by name; the bindings leave it out.
        fn mi_options_print_out(out: libmimalloc_sys::mi_output_fun, arg: *mut c_void);
    }

    unsafe extern "C" fn collect(message: *const c_char, into: *mut c_void) {
        // SAFETY: mimalloc passes a C string and the `String` given to it below.
        unsafe {
            let into = &mut *into.cast::<String>();
            into.push_str(&CStr::from_ptr(message).to_string_lossy());
        }
    }

    /// The option's number is its place in mimalloc's enum, which a new version could change:
    /// set it to a value nothing else uses and find it under its name in mimalloc's listing.
    #[test]
    fn purge_delay_is_the_option_it_names() {
        let mut listing = String::new();
        // SAFETY: options are plain stores; the listing writes only into `listing`.
        unsafe {
            let before = libmimalloc_sys::mi_option_get(PURGE_DELAY);
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 4321);
            mi_options_print_out(Some(collect), (&raw mut listing).cast());
            libmimalloc_sys::mi_option_set(PURGE_DELAY, before);
        }
        assert!(listing.contains("option 'purge_delay': 4321"), "{listing}");
    }
}
