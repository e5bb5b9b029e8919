//! CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of a v2 record batch
//! over bytes `[21, end)`, as Kafka's `Crc32C.compute`.
//!
//! Owns the choice of implementation; must not know what the bytes are. On x86-64 the
//! `crc32c` crate's SSE4.2 path (the CPU's `crc32` instruction, detected at run time) is the
//! fastest there is, so native builds keep it. WebAssembly has neither a CRC instruction nor a
//! carry-less multiply, and there the crate falls back to its software slicing-by-8, whose
//! 64-bit state costs extra instructions in wasm: measured in Chromium, ~740 MB/s against
//! ~1.5 GB/s for the slicing-by-16 here (README, "Performance"), and CRC-32C was most of the
//! time an append took in wasm. Everywhere but x86-64, [`portable`] is used.

use std::sync::OnceLock;

/// The reflected Castagnoli polynomial.
const POLYNOMIAL: u32 = 0x82F6_3B78;
/// Bytes consumed per step of [`portable`]; one look-up table per byte of a step.
const SLICES: usize = 16;

type Tables = [[u32; 256]; SLICES];

/// CRC-32C of `bytes`.
#[inline]
pub fn crc32c(bytes: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        // The crate checks for SSE4.2 itself and uses the hardware instruction when present.
        ::crc32c::crc32c(bytes)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(bytes)
    }
}

/// CRC-32C of `bytes` without any CPU-specific instruction: table-driven slicing-by-16
/// (Kadatch and Jenkins), 16 independent look-ups per 16 bytes.
pub fn portable(bytes: &[u8]) -> u32 {
    let t = tables();
    let mut crc = !0u32;
    let mut steps = bytes.chunks_exact(SLICES);
    for s in &mut steps {
        let word = |i: usize| u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]]);
        let a = word(0) ^ crc;
        let b = word(4);
        let c = word(8);
        let d = word(12);
        // Byte j of the step is 15 − j bytes from the step's end, hence table 15 − j.
        crc = t[15][a as u8 as usize]
            ^ t[14][(a >> 8) as u8 as usize]
            ^ t[13][(a >> 16) as u8 as usize]
            ^ t[12][(a >> 24) as usize]
            ^ t[11][b as u8 as usize]
            ^ t[10][(b >> 8) as u8 as usize]
            ^ t[9][(b >> 16) as u8 as usize]
            ^ t[8][(b >> 24) as usize]
            ^ t[7][c as u8 as usize]
            ^ t[6][(c >> 8) as u8 as usize]
            ^ t[5][(c >> 16) as u8 as usize]
            ^ t[4][(c >> 24) as usize]
            ^ t[3][d as u8 as usize]
            ^ t[2][(d >> 8) as u8 as usize]
            ^ t[1][(d >> 16) as u8 as usize]
            ^ t[0][(d >> 24) as usize];
    }
    for &byte in steps.remainder() {
        crc = t[0][(crc as u8 ^ byte) as usize] ^ (crc >> 8);
    }
    !crc
}

/// The 16 KiB of tables, built on first use rather than stored in the binary: every visitor
/// downloads the wasm, and the tables (pseudo-random words) would not compress. Building them
/// takes a few microseconds, once.
fn tables() -> &'static Tables {
    static TABLES: OnceLock<Box<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t: Box<Tables> = Box::new([[0; 256]; SLICES]);
        for (n, entry) in t[0].iter_mut().enumerate() {
            let mut crc = n as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ POLYNOMIAL
                } else {
                    crc >> 1
                };
            }
            *entry = crc;
        }
        // Table k maps a byte to its CRC followed by k zero bytes.
        for k in 1..SLICES {
            for n in 0..256 {
                let previous = t[k - 1][n];
                t[k][n] = (previous >> 8) ^ t[0][previous as u8 as usize];
            }
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_value_of_the_castagnoli_crc_is_e3069283() {
        // The standard check input of the CRC catalogue, and Kafka's own test vector.
        assert_eq!(portable(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(portable(b"Some String"), 608_512_271);
    }

    #[test]
    fn the_portable_crc_agrees_with_the_crate_on_random_inputs() {
        let mut rng = fastrand::Rng::with_seed(0x0c0f_fee5);
        // Every length up to three steps and past (the remainder loop), then batch-sized ones.
        let lengths: Vec<usize> = (0..=64)
            .chain((0..200).map(|_| rng.usize(65..20_000)))
            .collect();
        for len in lengths {
            let bytes: Vec<u8> = (0..len + 7).map(|_| rng.u8(..)).collect();
            // Unaligned starts too: a batch's CRC starts at byte 21 of its buffer.
            let start = rng.usize(0..8);
            let slice = &bytes[start..start + len];
            assert_eq!(
                portable(slice),
                ::crc32c::crc32c(slice),
                "length {len}, start {start}"
            );
        }
    }

    #[test]
    fn the_empty_input_has_crc_zero() {
        assert_eq!(portable(&[]), 0);
    }
}
