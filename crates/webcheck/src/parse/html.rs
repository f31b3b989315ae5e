//! What the checks need from an HTML page: scripts (with their SRI), stylesheets, every
//! subresource URL (for mixed content), links (for the open-redirect probe), `<meta>` CSPs and
//! the title.
//!
//! Parsed with Cloudflare's `lol_html`, a streaming tokenizer made for untrusted HTML at the
//! edge: it builds no tree, so its time is linear in the input whatever the nesting (a tree
//! builder spends quadratic time on a page of a million unclosed `<div>`s), and its memory is
//! bounded.

use std::cell::RefCell;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{HtmlRewriter, MemorySettings, Settings, element, text};
use url::Url;

/// How much of a page is looked at: a cap on extracted items so a hostile page cannot make a
/// scan hold millions of URLs.
const MAX_ITEMS: usize = 2_000;
/// Text kept of one inline script (secrets live in the first part of a config blob as often
/// as anywhere, and the rest would only cost memory).
const MAX_INLINE: usize = 256 * 1024;
/// The tokenizer's own buffer limit.
const MAX_PARSER_MEMORY: usize = 4 * 1024 * 1024;

/// A `<script>` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The resolved `src`, for external scripts.
    pub src: Option<Url>,
    /// The `src` attribute as written.
    pub raw_src: Option<String>,
    pub integrity: bool,
    /// The text of an inline script.
    pub inline: Option<String>,
}

/// A `<link rel=stylesheet>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stylesheet {
    pub href: Url,
    pub integrity: bool,
}

/// Whether a subresource can change the page (scripts, styles, frames, plugins, forms) or
/// only what it shows (images, media): browsers treat the two kinds of mixed content apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Active,
    Passive,
}

/// A subresource reference: the tag and attribute it came from and the resolved URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subresource {
    pub element: String,
    pub url: Url,
    pub activity: Activity,
}

/// Everything extracted from one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub title: Option<String>,
    pub scripts: Vec<Script>,
    pub stylesheets: Vec<Stylesheet>,
    pub subresources: Vec<Subresource>,
    pub links: Vec<Url>,
    pub meta_csp: Vec<String>,
    pub meta_referrer: Option<String>,
}

struct State {
    page: Page,
    base: Url,
    base_seen: bool,
    /// True while inside an inline <script> whose text is being collected.
    in_inline_script: bool,
    title_done: bool,
}

impl State {
    fn resolve(&self, value: &str) -> Option<Url> {
        self.base.join(value.trim()).ok()
    }

    fn push_sub(&mut self, element: &str, url: Url, activity: Activity) {
        if self.page.subresources.len() < MAX_ITEMS {
            self.page.subresources.push(Subresource {
                element: element.to_owned(),
                url,
                activity,
            });
        }
    }

    fn attr_sub(&mut self, el: &Element<'_, '_>, attr: &str, activity: Activity) {
        if let Some(u) = el.get_attribute(attr).and_then(|v| self.resolve(&v)) {
            let label = format!("{} {attr}", el.tag_name());
            self.push_sub(&label, u, activity);
        }
    }

    fn element(&mut self, el: &Element<'_, '_>) {
        let name = el.tag_name();
        match name.as_str() {
            // Only the first <base href> counts, and only for what follows it (HTML resolves
            // earlier URLs against it too, but pages put it first in <head>).
            "base" if !self.base_seen => {
                self.base_seen = true;
                if let Some(b) = el.get_attribute("href").and_then(|h| self.resolve(&h)) {
                    self.base = b;
                }
            }
            "script" => {
                if self.page.scripts.len() >= MAX_ITEMS {
                    return;
                }
                let raw_src = el.get_attribute("src");
                let src = raw_src.as_deref().and_then(|v| self.resolve(v));
                let integrity = el
                    .get_attribute("integrity")
                    .is_some_and(|i| !i.trim().is_empty());
                if let Some(u) = &src {
                    self.push_sub("script src", u.clone(), Activity::Active);
                }
                self.in_inline_script = raw_src.is_none();
                let inline = raw_src.is_none().then(String::new);
                self.page.scripts.push(Script {
                    src,
                    raw_src,
                    integrity,
                    inline,
                });
            }
            "link" => {
                let rel = el
                    .get_attribute("rel")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let Some(href) = el.get_attribute("href").and_then(|h| self.resolve(&h)) else {
                    return;
                };
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                if rels.contains(&"stylesheet") {
                    if self.page.stylesheets.len() < MAX_ITEMS {
                        self.page.stylesheets.push(Stylesheet {
                            href: href.clone(),
                            integrity: el
                                .get_attribute("integrity")
                                .is_some_and(|i| !i.trim().is_empty()),
                        });
                    }
                    self.push_sub("link stylesheet", href, Activity::Active);
                } else if rels
                    .iter()
                    .any(|r| matches!(*r, "preload" | "modulepreload" | "prefetch"))
                {
                    self.push_sub("link preload", href, Activity::Active);
                } else if rels.iter().any(|r| r.contains("icon")) {
                    self.push_sub("link icon", href, Activity::Passive);
                }
            }
            "iframe" | "frame" | "embed" => self.attr_sub(el, "src", Activity::Active),
            "object" => self.attr_sub(el, "data", Activity::Active),
            "form" => self.attr_sub(el, "action", Activity::Active),
            "img" | "audio" | "video" | "source" | "track" => {
                self.attr_sub(el, "src", Activity::Passive);
            }
            "a" | "area" => {
                if self.page.links.len() < MAX_ITEMS
                    && let Some(u) = el.get_attribute("href").and_then(|h| self.resolve(&h))
                {
                    self.page.links.push(u);
                }
            }
            "meta" => {
                let equiv = el
                    .get_attribute("http-equiv")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let content = el.get_attribute("content").unwrap_or_default();
                if equiv == "content-security-policy" && self.page.meta_csp.len() < 16 {
                    self.page.meta_csp.push(content.clone());
                }
                if el
                    .get_attribute("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("referrer"))
                {
                    self.page.meta_referrer = Some(content);
                }
            }
            _ => {}
        }
    }

    fn script_text(&mut self, chunk: &TextChunk<'_>) {
        if !self.in_inline_script {
            return;
        }
        if let Some(Script {
            inline: Some(text), ..
        }) = self.page.scripts.last_mut()
            && text.len() < MAX_INLINE
        {
            text.push_str(chunk.as_str());
        }
        if chunk.last_in_text_node() {
            self.in_inline_script = false;
        }
    }

    fn title_text(&mut self, chunk: &TextChunk<'_>) {
        if self.title_done {
            return;
        }
        let title = self.page.title.get_or_insert_with(String::new);
        if title.len() < 1024 {
            title.push_str(chunk.as_str());
        }
        if chunk.last_in_text_node() {
            self.title_done = true;
            let trimmed: String = title.trim().chars().take(200).collect();
            *title = trimmed;
        }
    }
}

/// Parses `body` as the HTML document at `url`. Never fails: what the tokenizer could read
/// before an error (a memory limit) is returned.
pub fn parse(body: &str, url: &Url) -> Page {
    let state = RefCell::new(State {
        page: Page::default(),
        base: url.clone(),
        base_seen: false,
        in_inline_script: false,
        title_done: false,
    });
    let selectors = "script, link, iframe, frame, embed, object, form, img, audio, video, \
                     source, track, a, area, meta, base";
    {
        let settings = Settings::new()
            .with_strict(false)
            .with_memory_settings(
                MemorySettings::new().with_max_allowed_memory_usage(MAX_PARSER_MEMORY),
            )
            .append_element_content_handler(element!(selectors, |el| {
                if let Ok(mut s) = state.try_borrow_mut() {
                    s.element(el);
                }
                Ok(())
            }))
            .append_element_content_handler(text!("script", |t| {
                if let Ok(mut s) = state.try_borrow_mut() {
                    s.script_text(t);
                }
                Ok(())
            }))
            .append_element_content_handler(text!("title", |t| {
                if let Ok(mut s) = state.try_borrow_mut() {
                    s.title_text(t);
                }
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // Errors (memory limit) end parsing early; what was read so far is kept.
        if rewriter.write(body.as_bytes()).is_ok() {
            let _ = rewriter.end();
        }
    }
    let mut state = state.into_inner();
    if let Some(t) = &mut state.page.title
        && !state.title_done
    {
        *t = t.trim().chars().take(200).collect();
    }
    state.page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        parse(
            html,
            &Url::parse("https://shop.example/app/index.html").unwrap(),
        )
    }

    #[test]
    fn extracts_scripts_styles_and_resources() {
        let p = page(
            r#"<!doctype html><html><head><title> Shop </title>
            <meta http-equiv="Content-Security-Policy" content="default-src 'self'">
            <link rel="stylesheet" href="/css/site.css">
            <script src="main.js"></script>
            <script src="https://cdn.example.net/lib.js" integrity="sha384-abc"></script>
            <script>var x = 1;</script></head>
            <body><img src="http://img.example/a.png"><iframe src="http://ads.example/"></iframe>
            <a href="/login?next=/account">login</a></body></html>"#,
        );
        assert_eq!(p.title.as_deref(), Some("Shop"));
        assert_eq!(p.meta_csp, ["default-src 'self'"]);
        assert_eq!(
            p.stylesheets[0].href.as_str(),
            "https://shop.example/css/site.css"
        );
        assert_eq!(p.scripts.len(), 3);
        assert_eq!(
            p.scripts[0].src.as_ref().unwrap().as_str(),
            "https://shop.example/app/main.js"
        );
        assert!(p.scripts[1].integrity);
        assert_eq!(p.scripts[2].inline.as_deref(), Some("var x = 1;"));
        let passive: Vec<_> = p
            .subresources
            .iter()
            .filter(|s| s.activity == Activity::Passive)
            .map(|s| s.url.as_str())
            .collect();
        assert_eq!(passive, ["http://img.example/a.png"]);
        assert!(
            p.subresources
                .iter()
                .any(|s| s.element == "iframe src" && s.url.as_str() == "http://ads.example/")
        );
        assert_eq!(
            p.links[0].as_str(),
            "https://shop.example/login?next=/account"
        );
    }

    #[test]
    fn base_href_changes_resolution() {
        let p = page(r#"<base href="https://static.example/v2/"><script src="a.js"></script>"#);
        assert_eq!(
            p.scripts[0].src.as_ref().unwrap().as_str(),
            "https://static.example/v2/a.js"
        );
    }

    #[test]
    fn garbage_and_huge_input_do_not_panic() {
        let _ = page("");
        let _ = page("<<<>>><script src=\"http://[::1\"><");
        let _ = page(&"<div>".repeat(1_000_000));
        let many = "<script src=/a.js></script>".repeat(5_000);
        assert_eq!(page(&many).scripts.len(), MAX_ITEMS);
    }
}
