//! What the checks need from an HTML page: scripts (with their SRI), stylesheets, every
//! subresource URL (for mixed content), links (for the open-redirect probe), `<meta>` CSPs and
//! the title. Parsed with html5ever through `scraper`, which recovers from any input the way a
//! browser does.

use scraper::{ElementRef, Html};
use url::Url;

/// How much of a page is looked at: a cap on extracted items so a hostile page cannot make a
/// scan hold millions of URLs.
const MAX_ITEMS: usize = 2_000;

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

/// Parses `body` as the HTML document at `url`.
pub fn parse(body: &str, url: &Url) -> Page {
    let doc = Html::parse_document(body);
    let mut page = Page::default();
    let elements: Vec<ElementRef<'_>> = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .collect();
    // <base href> changes how every relative URL resolves (only the first one counts).
    let base = elements
        .iter()
        .find(|e| e.value().name() == "base")
        .and_then(|e| e.value().attr("href"))
        .and_then(|h| url.join(h.trim()).ok())
        .unwrap_or_else(|| url.clone());
    let resolve = |v: &str| base.join(v.trim()).ok();

    for el in elements {
        let v = el.value();
        let name = v.name();
        match name {
            "title" if page.title.is_none() => {
                let text: String = el.text().collect();
                page.title = Some(text.trim().chars().take(200).collect());
            }
            "script" => {
                if page.scripts.len() >= MAX_ITEMS {
                    continue;
                }
                let raw_src = v.attr("src").map(str::to_owned);
                let src = raw_src.as_deref().and_then(resolve);
                let integrity = v.attr("integrity").is_some_and(|i| !i.trim().is_empty());
                let inline = if raw_src.is_none() {
                    Some(el.text().collect::<String>())
                } else {
                    None
                };
                if let Some(u) = &src {
                    push_sub(&mut page, "script src", u.clone(), Activity::Active);
                }
                page.scripts.push(Script {
                    src,
                    raw_src,
                    integrity,
                    inline,
                });
            }
            "link" => {
                let rel = v.attr("rel").unwrap_or_default().to_ascii_lowercase();
                let Some(href) = v.attr("href").and_then(resolve) else {
                    continue;
                };
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                if rels.contains(&"stylesheet") {
                    if page.stylesheets.len() < MAX_ITEMS {
                        page.stylesheets.push(Stylesheet {
                            href: href.clone(),
                            integrity: v.attr("integrity").is_some_and(|i| !i.trim().is_empty()),
                        });
                    }
                    push_sub(&mut page, "link stylesheet", href, Activity::Active);
                } else if rels
                    .iter()
                    .any(|r| matches!(*r, "preload" | "modulepreload" | "prefetch"))
                {
                    push_sub(&mut page, "link preload", href, Activity::Active);
                } else if rels.iter().any(|r| r.contains("icon")) {
                    push_sub(&mut page, "link icon", href, Activity::Passive);
                }
            }
            "iframe" | "frame" => attr_sub(&mut page, &el, "src", &resolve, Activity::Active),
            "object" => attr_sub(&mut page, &el, "data", &resolve, Activity::Active),
            "embed" => attr_sub(&mut page, &el, "src", &resolve, Activity::Active),
            "form" => attr_sub(&mut page, &el, "action", &resolve, Activity::Active),
            "img" | "audio" | "video" | "source" | "track" => {
                attr_sub(&mut page, &el, "src", &resolve, Activity::Passive);
            }
            "a" | "area" => {
                if page.links.len() < MAX_ITEMS
                    && let Some(u) = v.attr("href").and_then(resolve)
                {
                    page.links.push(u);
                }
            }
            "meta" => {
                let equiv = v.attr("http-equiv").unwrap_or_default().to_ascii_lowercase();
                let content = v.attr("content").unwrap_or_default();
                if equiv == "content-security-policy" {
                    page.meta_csp.push(content.to_owned());
                }
                if v
                    .attr("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("referrer"))
                {
                    page.meta_referrer = Some(content.to_owned());
                }
            }
            _ => {}
        }
    }
    page
}

fn attr_sub(
    page: &mut Page,
    el: &ElementRef<'_>,
    attr: &str,
    resolve: &impl Fn(&str) -> Option<Url>,
    activity: Activity,
) {
    if let Some(u) = el.value().attr(attr).and_then(resolve) {
        let label = format!("{} {attr}", el.value().name());
        push_sub(page, &label, u, activity);
    }
}

fn push_sub(page: &mut Page, element: &str, url: Url, activity: Activity) {
    if page.subresources.len() < MAX_ITEMS {
        page.subresources.push(Subresource {
            element: element.to_owned(),
            url,
            activity,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        parse(html, &Url::parse("https://shop.example/app/index.html").unwrap())
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
        assert_eq!(p.stylesheets[0].href.as_str(), "https://shop.example/css/site.css");
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
        assert!(p
            .subresources
            .iter()
            .any(|s| s.element == "iframe src" && s.url.as_str() == "http://ads.example/"));
        assert_eq!(p.links[0].as_str(), "https://shop.example/login?next=/account");
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
        let _ = page(&"<div>".repeat(50_000));
        let many = "<script src=/a.js></script>".repeat(5_000);
        assert_eq!(page(&many).scripts.len(), MAX_ITEMS);
    }
}
