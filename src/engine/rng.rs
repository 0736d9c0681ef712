//! The engine's only source of randomness: a seeded SplitMix64 generator.
//!
//! Determinism is a product feature (same seed + same inputs = byte-identical session), so
//! nothing may draw from a global RNG; every random choice (uids, pod-name suffixes, jitter,
//! scheduler tie-breaks) comes from this one stream, advanced in a fixed order.

use super::meta::Str;
use super::statefulset::utils::fnv1a_32;

#[derive(Debug, Clone)]
pub struct Rng(u64);

/// A version-4 UUID's random bits, in the order `Rng::uuid` draws them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uuid(u64, u64);

impl Uuid {
    /// 8-4-4-4-12 hex digits; the third group starts with the version, 4.
    pub fn to_str(self) -> Str {
        let Uuid(a, b) = self;
        let groups: [(u64, usize); 5] = [(a >> 32, 8), ((a >> 16) & 0xffff, 4), (0x4000 | (a & 0x0fff), 4), (((b >> 48) & 0x3fff) | 0x8000, 4), (b & 0xffff_ffff_ffff, 12)];
        let mut out = [b'-'; 36];
        let mut at = 0;
        for (value, digits) in groups {
            put_hex(&mut out[at..at + digits], value);
            at += digits + 1;
        }
        Str::from(std::str::from_utf8(&out).unwrap_or_default())
    }
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n == 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A random version-4 UUID, as the API server assigns to `metadata.uid`.
    ///
    /// Written digit by digit rather than with `format!`: every object and Event takes one,
    /// and the formatting machinery was a tenth of a large session's time.
    pub fn uuid(&mut self) -> Str {
        self.uuid_bits().to_str()
    }

    /// The 128 random bits of a uid, drawn now and written out only when read (Events take
    /// one each, and most are never shown).
    pub fn uuid_bits(&mut self) -> Uuid {
        let a = self.next_u64();
        let b = self.next_u64();
        Uuid(a, b)
    }

    /// `n` characters of the API machinery's "safe" alphabet (generateName / ReplicaSet pods).
    pub fn safe_string(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n).map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char).collect()
    }
}

/// Five characters of the API server's generateName alphabet, derived from `key` (an owner's
/// uid and what the name is for) instead of drawn: a name rendered on every read must read the
/// same each time, and a draw would shift every later value of the seeded stream.
pub fn derived_suffix(key: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h = fnv1a_32(key.as_bytes());
    (0..5)
        .map(|_| {
            let c = ALPHABET[(h % ALPHABET.len() as u32) as usize] as char;
            h /= ALPHABET.len() as u32;
            c
        })
        .collect()
}

/// A uid-shaped identifier derived from a name, for objects rendered rather than stored
/// (EndpointSlices) or made by a controller without drawing from the seeded stream.
pub fn derived_uuid(seed: &str) -> String {
    let a = fnv1a_32(seed.as_bytes());
    let b = fnv1a_32(format!("{seed}#").as_bytes());
    let c = fnv1a_32(format!("{seed}##").as_bytes());
    format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:08x}{:04x}", a, b >> 16, b & 0xfff, c >> 20, c, a >> 16)
}

/// Writes `value`'s low hex digits into `out`, zero-padded to its length (lower case, as
/// `{:0N x}` would).
pub fn put_hex(out: &mut [u8], mut value: u64) {
    for b in out.iter_mut().rev() {
        *b = b"0123456789abcdef"[(value & 0xf) as usize];
        value >>= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_matches_the_formatted_layout() {
        let mut r = Rng::new(7);
        let mut f = Rng::new(7);
        for _ in 0..100 {
            let (a, b) = (f.next_u64(), f.next_u64());
            let want = format!("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0x0fff, ((b >> 48) & 0x3fff) | 0x8000, b & 0xffff_ffff_ffff);
            assert_eq!(&*r.uuid(), want);
        }
    }
}
