//! `zhiku serve`: build, serve on 127.0.0.1, watch the site, rebuild and reload.
//!
//! The server is deliberately small (tiny_http, one thread per request): it serves the built
//! folder under an optional sub-path, and injects into HTML responses one script that asks
//! `/__zhiku/status` once a second whether the site was rebuilt (then reloads) or a rebuild failed
//! (then shows the error over the page). The watcher (notify, debounced) rebuilds on any change in
//! content/, templates/, static/ or site.toml; a broken edit leaves the last good site served and
//! the error shown, and the next good edit recovers.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify_debouncer_full::{new_debouncer, notify::RecursiveMode, DebounceEventResult};
use tiny_http::{Header, Response, Server};

use crate::{build, BuildOptions};

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: String,
    pub port: u16,
    /// Serve the site under this path (`/kb/`), as GitHub Pages serves project sites.
    pub base_path: String,
}

/// What the open pages poll for.
#[derive(Debug, Default)]
struct Status {
    version: u64,
    error: Option<String>,
}

const LIVE_JS: &str = r#"(function () {
  var seen = null;
  function show(msg) {
    var box = document.getElementById('zhiku-error');
    if (!msg) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('pre');
      box.id = 'zhiku-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1em;background:#3b0d0c;color:#ffd7d5;font:13px/1.5 monospace;z-index:99999;white-space:pre-wrap';
      document.body.appendChild(box);
    }
    box.textContent = 'zhiku: the last rebuild failed; showing the previous site.\n\n' + msg;
  }
  // A page the rebuild removed (a later page of a list, renamed when its first item changed or
  // merged into another page) goes to the first page of its list, not to the 404 page: a later
  // page links it as its first page, or (the second page) as its previous one.
  function reload() {
    var h = new XMLHttpRequest();
    h.open('HEAD', location.href);
    h.onload = function () {
      var first = document.querySelector('a.pager-start') || document.querySelector('nav.pager a[rel="prev"]');
      if (h.status === 404 && first) location.href = first.href; else location.reload();
    };
    h.onerror = function () { location.reload(); };
    h.send();
  }
  function poll() {
    var x = new XMLHttpRequest();
    x.open('GET', '/__zhiku/status');
    x.onload = function () {
      try {
        var s = JSON.parse(x.responseText);
        if (seen !== null && s.version !== seen) { reload(); return; }
        seen = s.version;
        show(s.error);
      } catch (e) {}
      setTimeout(poll, 1000);
    };
    x.onerror = function () { setTimeout(poll, 2000); };
    x.send();
  }
  poll();
})();
"#;

/// Builds the site, then serves and rebuilds it until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let site = crate::Site::load(&opts.build)?;
    let base = normalise_base(&opts.base_path);
    let status = Arc::new(Mutex::new(Status::default()));
    rebuild(&opts.build, &status);
    let addr = format!("{}:{}", opts.bind, opts.port);
    let server = Server::http(&addr).map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    if opts.build.progress {
        eprintln!("serving {} at http://{addr}{base} (Ctrl-C to stop)", site.out_dir.display());
    }

    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer =
        new_debouncer(Duration::from_millis(250), None, tx).context("cannot watch the site")?;
    for dir in [&site.content_dir, &site.template_dir, &site.static_dir] {
        if dir.is_dir() {
            debouncer
                .watch(dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", dir.display()))?;
        }
    }
    let config = opts.build.root.join(crate::config::CONFIG_FILE);
    if config.is_file() {
        debouncer.watch(&config, RecursiveMode::NonRecursive).context("cannot watch site.toml")?;
    }
    {
        let (status, build_opts) = (status.clone(), opts.build.clone());
        std::thread::Builder::new()
            .name("rebuild".into())
            .spawn(move || rebuild_on_edits(&rx, &build_opts, &status))
            .context("cannot start the thread that rebuilds on edits")?;
    }
    let out = Arc::new(site.out_dir.clone());
    for request in server.incoming_requests() {
        let (status, out, base) = (status.clone(), out.clone(), base.clone());
        // Refused a thread (the system out of them), the request is dropped, which closes its
        // connection: the browser may ask again.
        let _ = std::thread::Builder::new().spawn(move || {
            let response = respond(request.url(), &out, &base, &status);
            let _ = request.respond(response);
        });
    }
    drop(debouncer);
    Ok(())
}

/// Rebuilds after each burst of edits the watcher reports, until it stops.
fn rebuild_on_edits(
    rx: &std::sync::mpsc::Receiver<DebounceEventResult>,
    opts: &BuildOptions,
    status: &Mutex<Status>,
) {
    use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
    while let Ok(result) = rx.recv() {
        // Reading files during a build reports access events: only real edits count.
        let edited = result.is_ok_and(|events| {
            events.iter().any(|e| {
                matches!(e.kind, EventKind::Create(_) | EventKind::Remove(_))
                    || matches!(e.kind, EventKind::Modify(m) if !matches!(m, ModifyKind::Metadata(_)))
            })
        });
        if !edited {
            continue;
        }
        // Coalesce a burst of saves into one rebuild.
        while rx.try_recv().is_ok() {}
        rebuild(opts, status);
    }
}

fn rebuild(opts: &BuildOptions, status: &Mutex<Status>) {
    let result = build(opts);
    let mut s = status.lock().unwrap_or_else(|p| p.into_inner());
    match result {
        Ok(report) => {
            // `--quiet` (no progress) prints errors alone.
            if opts.progress {
                eprintln!(
                    "rebuilt: {} articles, {} pages, {} files changed in {:.2} s",
                    report.articles,
                    report.pages,
                    report.written,
                    report.elapsed.as_secs_f64()
                );
            }
            s.version += 1;
            s.error = None;
        }
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("error: {msg}");
            s.error = Some(msg);
        }
    }
}

fn normalise_base(base: &str) -> String {
    let trimmed = base.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn respond(url: &str, out: &Path, base: &str, status: &Mutex<Status>) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/__zhiku/status" {
        let s = status.lock().unwrap_or_else(|p| p.into_inner());
        let body = serde_json::json!({ "version": s.version, "error": s.error }).to_string();
        return reply(200, "application/json", body.into_bytes());
    }
    if path == "/__zhiku/live.js" {
        return reply(200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec());
    }
    if base != "/" && (path == base.trim_end_matches('/')) {
        return Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(Header::from_bytes("Location", base.as_bytes()).expect("valid header"));
    }
    let Some(rel) = path.strip_prefix(base) else {
        return not_found(out);
    };
    let Some(file) = resolve(out, &percent_decode(rel)) else {
        return not_found(out);
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let ct = content_type(&file);
            let bytes = if ct.starts_with("text/html") { inject_live(bytes) } else { bytes };
            reply(200, ct, bytes)
        }
        Err(_) => not_found(out),
    }
}

/// The file a request path names under `out`, refusing anything that would leave it.
fn resolve(out: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = out.to_path_buf();
    for comp in Path::new(rel).components() {
        match comp {
            Component::Normal(c) => path.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

fn not_found(out: &Path) -> Reply {
    let body = std::fs::read(out.join("404.html")).map(inject_live).unwrap_or_else(|_| b"not found".to_vec());
    reply(404, "text/html; charset=utf-8", body)
}

fn inject_live(html: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__zhiku/live.js\"></script>";
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag);
    out.extend_from_slice(&html[at..]);
    out
}

fn reply(code: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(code)
        .with_header(Header::from_bytes("Content-Type", content_type.as_bytes()).expect("valid header"))
        .with_header(Header::from_bytes("Cache-Control", "no-store").expect("valid header"))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("articles")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<html><body>i</body></html>").unwrap();
        std::fs::write(dir.path().join("articles/a b.html"), "a").unwrap();
        assert_eq!(resolve(dir.path(), ""), Some(dir.path().join("index.html")));
        assert_eq!(
            resolve(dir.path(), &percent_decode("articles/a%20b.html")),
            Some(dir.path().join("articles/a b.html"))
        );
        assert_eq!(resolve(dir.path(), "../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "missing.html"), None);
    }

    #[test]
    fn responses_under_a_sub_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html><body>home</body></html>").unwrap();
        std::fs::write(dir.path().join("404.html"), "<html><body>gone</body></html>").unwrap();
        let status = Mutex::new(Status { version: 3, error: Some("bad <template>".into()) });
        let base = normalise_base("kb");
        assert_eq!(base, "/kb/");
        let ok = respond("/kb/index.html", dir.path(), &base, &status);
        assert_eq!(ok.status_code().0, 200);
        assert_eq!(respond("/kb/", dir.path(), &base, &status).status_code().0, 200);
        assert_eq!(respond("/index.html", dir.path(), &base, &status).status_code().0, 404);
        assert_eq!(respond("/kb", dir.path(), &base, &status).status_code().0, 301);
        assert_eq!(respond("/__zhiku/status", dir.path(), &base, &status).status_code().0, 200);
    }

    #[test]
    fn the_live_script_goes_before_the_end_of_body() {
        let html = inject_live(b"<html><body><p>x</p></BODY></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__zhiku/live.js\"></script></BODY></html>"
        );
    }
}
