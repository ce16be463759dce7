//! Compressed answers for the mock servers: gzip, brotli and zstd of a body, and a gzip
//! decompression bomb (a few megabytes that decode to hundreds).

use std::io::Write;

pub fn gzip(body: &[u8]) -> Vec<u8> {
    let mut out = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    out.write_all(body).unwrap();
    out.finish().unwrap()
}

pub fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(body).unwrap();
    }
    out
}

pub fn zstd(body: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(body, 3).unwrap()
}

/// A well-formed gzip stream of at least `min_len` zero bytes (RFC 1951 and 1952), written
/// directly rather than compressed, which would take seconds for a large one: a literal zero,
/// then "copy 258 bytes from 1 back" over and over, 13 bits per 258 bytes, in one block of the
/// fixed Huffman code. Returns the stream and the length it decodes to.
pub fn gzip_bomb(min_len: u64) -> (Vec<u8>, u64) {
    let copies = min_len.saturating_sub(1).div_ceil(258);
    let len = 1 + 258 * copies;
    let mut bits = Bits::default();
    bits.out
        .extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    bits.put(1, 1); // the last block
    bits.put(1, 2); // of the fixed Huffman code
    bits.code(0x30, 8); // literal 0
    for _ in 0..copies {
        bits.code(0xc5, 8); // length code 285: 258 bytes
        bits.code(0, 5); // distance code 0: 1 back
    }
    bits.code(0, 7); // end of block
    let mut out = bits.finish();
    // The CRC-32 of `len` zeros, by doubling: that of 258 zeros, combined `copies` times.
    let mut crc = flate2::Crc::new();
    crc.update(&[0]);
    let mut run = flate2::Crc::new();
    run.update(&[0u8; 258]);
    let mut n = copies;
    while n > 0 {
        if n & 1 == 1 {
            crc.combine(&run);
        }
        let mut twice = flate2::Crc::new();
        twice.combine(&run);
        twice.combine(&run);
        run = twice;
        n >>= 1;
    }
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    (out, len)
}

/// Bits packed as deflate packs them: from each byte's least significant bit.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// `count` bits of `value`, least significant first (header fields, extra bits).
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code of `count` bits, most significant first.
    fn code(&mut self, code: u64, count: u32) {
        let reversed = (0..count).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
        self.put(reversed, count);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

#[test]
fn the_bomb_is_a_valid_gzip_stream_of_zeros() {
    use std::io::Read;
    let (bomb, len) = gzip_bomb(100_000);
    assert!(len >= 100_000);
    assert!(bomb.len() < 1000, "{} bytes", bomb.len());
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&bomb[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded.len() as u64, len);
    assert!(decoded.iter().all(|&b| b == 0));
}
