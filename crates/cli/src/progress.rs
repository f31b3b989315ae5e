//! The progress line on stderr: files and bytes scanned, drawn only when stderr is a terminal.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub(crate) struct ScanProgress {
    bar: ProgressBar,
    files: AtomicU64,
    bytes: AtomicU64,
}

impl ScanProgress {
    /// A visible spinner when `visible`, otherwise a hidden one that costs two atomic adds a file.
    pub(crate) fn new(visible: bool) -> ScanProgress {
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} scanning: {msg} · {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        if visible {
            bar.enable_steady_tick(Duration::from_millis(100));
        }
        ScanProgress {
            bar,
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl palisade_engine::Progress for ScanProgress {
    fn file_scanned(&self, bytes: u64) {
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if !self.bar.is_hidden() && files % 64 == 1 {
            self.bar
                .set_message(format!("{files} files, {}", HumanBytes(total)));
        }
    }
}
