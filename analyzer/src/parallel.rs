//! Splitting long work over two cores.

/// `map` over `items`, the second half on another thread, the results in order. A list shorter
/// than `from` stays on this thread: starting a thread would cost more than it saves.
pub fn in_halves<T: Sync, U: Send>(
    items: &[T],
    from: usize,
    map: impl Fn(&[T]) -> Vec<U> + Sync,
) -> Vec<U> {
    if items.len() < from {
        return map(items);
    }
    let (first, second) = items.split_at(items.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| map(second));
        let mut mapped = map(first);
        mapped.extend(
            later
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        mapped
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_order_either_way() {
        let items: Vec<u32> = (0..1000).collect();
        let double = |part: &[u32]| part.iter().map(|i| i * 2).collect::<Vec<_>>();
        let expected: Vec<u32> = (0..1000).map(|i| i * 2).collect();
        assert_eq!(super::in_halves(&items, 10, double), expected);
        assert_eq!(super::in_halves(&items, 10_000, double), expected);
    }
}
