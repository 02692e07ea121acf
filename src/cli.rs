//! Command-line interface: `build`, `explain`, `init` (and the commands that grow beside them).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use zhiku::{BuildOptions, Site};

/// zhiku (智库) turns raw, messy policy articles into a clean, cross-linked knowledge-base site.
///
/// Drop scraped pages, copied text, PDF extracts and notes into content/, then run `zhiku build`.
#[derive(Debug, Parser)]
#[command(name = "zhiku", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: clean every article, extract and cross-link what they share, write public/.
    Build(SiteArgs),
    /// Show how one file is cleaned: each line kept or removed (and why), then the metadata found.
    Explain {
        #[command(flatten)]
        site: SiteArgs,
        /// The raw article to explain.
        file: PathBuf,
    },
    /// Check the site without writing it: list every problem, numbered; fail if any is an error.
    Check(SiteArgs),
    /// Import raw articles into content/ under readable names (`-` reads one from standard input).
    New {
        #[command(flatten)]
        site: SiteArgs,
        /// Files to import, or `-` for standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Build, serve on 127.0.0.1, and rebuild and reload the open page whenever the site changes.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Serve under this path, as GitHub Pages serves project sites (`/repo/`).
        #[arg(long, default_value = "/")]
        base_path: String,
    },
    /// Create a new site (site.toml, content/, templates/, static/) in a folder.
    Init {
        /// Where to create the site (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

/// Where the site is and what to override in its site.toml.
#[derive(Debug, Args, Clone)]
pub struct SiteArgs {
    /// The site's folder, where site.toml is.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The folder of raw articles (default: site.toml's content_dir, else ROOT/content).
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Where to write the site (default: site.toml's output_dir, else ROOT/public).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The URL the site is published at, for canonical links, the sitemap and the feed.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            content: self.content.clone(),
            out: self.out.clone(),
            base_url: self.base_url.clone(),
            progress: !self.quiet,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => {
            let report = zhiku::build(&args.options())?;
            if !args.quiet {
                for s in &report.skipped {
                    eprintln!("warning: {}: skipped: {}", s.path.display(), s.reason);
                }
                for w in &report.warnings {
                    eprintln!("warning: {w}");
                }
                eprintln!(
                    "built {} articles into {} pages ({} files written) in {:.2} s",
                    report.articles,
                    report.pages,
                    report.written,
                    report.elapsed.as_secs_f64()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { site, file } => {
            let site = Site::load(&site.options())?;
            print!("{}", zhiku::explain(&site, &file)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => {
            let site = Site::load(&args.options())?;
            let report = zhiku::check::check_site(&site)?;
            for (i, p) in report.problems.iter().enumerate() {
                println!("{:>3}. {p}", i + 1);
            }
            let errors = report.errors();
            println!(
                "{} articles checked: {} errors, {} warnings",
                report.articles,
                errors,
                report.problems.len() - errors
            );
            Ok(if errors > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::New { site, files } => {
            let site = Site::load(&site.options())?;
            let mut inputs = Vec::new();
            for f in files {
                if f.as_os_str() == "-" {
                    let mut bytes = Vec::new();
                    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
                    inputs.push(zhiku::new::Input { name: None, bytes });
                } else {
                    let bytes =
                        std::fs::read(&f).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?;
                    inputs.push(zhiku::new::Input { name: Some(f), bytes });
                }
            }
            for imp in zhiku::new::import(&site, inputs)? {
                let a = &imp.annotated.article;
                let m = &imp.annotated.mentions;
                let list = |v: Vec<&str>| if v.is_empty() { "—".to_string() } else { v.join("、") };
                println!("added {}", imp.path.display());
                println!("  title:   {}{}", a.title, if a.title_derived { "  (derived)" } else { "" });
                println!(
                    "  date:    {}",
                    a.date.map(|d| d.to_string()).unwrap_or_else(|| "— (add a sidecar)".into())
                );
                println!(
                    "  source:  {}",
                    list([a.publisher.as_deref(), a.origin.as_deref()].into_iter().flatten().collect())
                );
                println!("  domains: {}", list(m.domains.iter().map(|d| d.name.as_str()).collect()));
                println!(
                    "  people:  {}",
                    list(
                        m.people
                            .iter()
                            .filter(|p| p.role != zhiku::model::PersonRole::Byline)
                            .map(|p| p.name.as_str())
                            .collect()
                    )
                );
                if let Some(author) = &a.author {
                    println!("  author:  {author}");
                }
                println!("  figures: {}", list(m.statistics.iter().map(|s| &*s.text).collect()));
                for other in &imp.similar_to {
                    println!("  warning: looks like {other}, already in the knowledge base");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { site, port, bind, base_path } => {
            zhiku::serve::serve(&zhiku::serve::ServeOptions {
                build: site.options(),
                bind,
                port,
                base_path,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            zhiku::init::init_site(&dir)?;
            println!(
                "created a zhiku site in {}; add articles to content/ and run `zhiku build`",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
