//! Line arithmetic on raw bytes: windows of whole lines around an offset, bounded in bytes so a
//! minified 50 MB single-line file costs no more than a normal one.

use std::ops::Range;

use memchr::{memchr, memrchr};

/// At most this many bytes are taken on each side of an offset when looking for line ends, so
/// a "line" of a minified bundle is a few kilobytes around the hit, not the whole file.
pub(crate) const MAX_LINE_REACH: usize = 4096;
/// A multi-line window grows by at most this many bytes on each side.
pub(crate) const MAX_WINDOW_REACH: usize = 256 * 1024;

/// The byte range of the lines around `at`: `before` lines before the one containing `at.start`
/// and `after` lines after the one containing `at.end`, never reaching further than
/// [`MAX_WINDOW_REACH`] (or [`MAX_LINE_REACH`] inside one long line).
pub(crate) fn around(content: &[u8], at: Range<usize>, before: u32, after: u32) -> Range<usize> {
    let start = at.start.min(content.len());
    let end = at.end.clamp(start, content.len());
    let mut lo = line_start(content, start);
    for _ in 0..before {
        if lo == 0 || start - lo >= MAX_WINDOW_REACH {
            break;
        }
        lo = line_start(content, lo - 1);
    }
    let mut hi = line_end(content, end);
    for _ in 0..after {
        if hi >= content.len() || hi - end >= MAX_WINDOW_REACH {
            break;
        }
        hi = line_end(content, hi + 1);
    }
    lo.max(start.saturating_sub(MAX_WINDOW_REACH))..hi.min(end.saturating_add(MAX_WINDOW_REACH))
}

/// Start of the line containing `at` (the byte after the previous `\n`), or `at` minus
/// [`MAX_LINE_REACH`] inside a very long line.
pub(crate) fn line_start(content: &[u8], at: usize) -> usize {
    let at = at.min(content.len());
    let floor = at.saturating_sub(MAX_LINE_REACH);
    memrchr(b'\n', &content[floor..at]).map_or(floor, |i| floor + i + 1)
}

/// End of the line containing `at` (the index of its `\n`, or the end of the content), or `at`
/// plus [`MAX_LINE_REACH`] inside a very long line.
pub(crate) fn line_end(content: &[u8], at: usize) -> usize {
    let at = at.min(content.len());
    let ceil = at.saturating_add(MAX_LINE_REACH).min(content.len());
    memchr(b'\n', &content[at..ceil]).map_or(ceil, |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_whole_lines() {
        let text = b"one\ntwo\nthree\nfour\nfive";
        let at = 9..10; // inside "three"
        assert_eq!(&text[around(text, at.clone(), 0, 0)], b"three");
        assert_eq!(&text[around(text, at.clone(), 1, 1)], b"two\nthree\nfour");
        assert_eq!(&text[around(text, at, 10, 10)], &text[..]);
    }

    #[test]
    fn long_lines_are_cut_around_the_offset() {
        let text = vec![b'a'; 3 * MAX_LINE_REACH];
        let w = around(&text, 5000..5001, 0, 0);
        assert_eq!(w, 5000 - MAX_LINE_REACH..5001 + MAX_LINE_REACH);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = b"ab\ncd";
        assert_eq!(around(text, 10..20, 1, 1), 0..5);
        assert_eq!(around(b"", 0..0, 3, 3), 0..0);
    }
}
