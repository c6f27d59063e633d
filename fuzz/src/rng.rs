//! A small deterministic generator (SplitMix64): a run depends on its seed alone.

/// SplitMix64 (Steele, Lea and Flood): fast, full-period, good enough to drive a fuzzer.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
	/// The generator of `seed`.
	pub fn new(seed: u64) -> Self {
		Rng(seed ^ 0x005e_ed0f_f022_u64)
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	/// Uniform in `0..n` (0 for `n == 0`).
	pub fn below(&mut self, n: u64) -> u64 {
		((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
	}

	/// Uniform in `lo..=hi`.
	pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
		lo + self.below(hi - lo + 1)
	}

	/// Uniform in `lo..=hi`, for planck amounts.
	pub fn range_u128(&mut self, lo: u128, hi: u128) -> u128 {
		let span = hi - lo;
		if span == u128::MAX {
			return (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
		}
		let wide = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
		lo + wide % (span + 1)
	}

	/// True with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// A random element of a non-empty slice.
	pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize]
	}

	/// Index of a weighted choice.
	pub fn weighted(&mut self, weights: &[u64]) -> usize {
		let total: u64 = weights.iter().sum();
		let mut roll = self.below(total);
		for (i, w) in weights.iter().enumerate() {
			if roll < *w {
				return i;
			}
			roll -= w;
		}
		weights.len() - 1
	}
}
