//! A file with errors is parsed again by the error-recovering grammar, which is built for each
//! such parse: nothing of it may outlive the parse (an editor re-parses a half-typed file on
//! every keystroke). A counting allocator measures what stays allocated.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn parsing_a_file_with_errors_frees_what_it_allocates() {
    let text = "table inet t {\n\tchain c {\n\t\tip saddr { 192.0.2.1, accept\n\t\tmeta mark set 1 map { 2 : }\n\t}\n}\n";
    let parse = nftlint_syntax::parse(text);
    assert!(
        !parse.errors().is_empty(),
        "the text must take the error path"
    );
    // The first parse keeps its scratch buffers for the next ones.
    drop(parse);
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    for _ in 0..20 {
        drop(nftlint_syntax::parse(text));
    }
    let kept = LIVE_BYTES.load(Ordering::Relaxed) - before;
    // The test harness may allocate a little meanwhile; the grammar was tens of kilobytes a parse.
    assert!(kept < 4096, "{kept} bytes outlived 20 parses");
}
