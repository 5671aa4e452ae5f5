//! Stage 3: turn the archive into pages. Markdown bodies, Tera templates and URLs live here;
//! nothing here reads content files or writes output: pages go to a sink.

mod cache;
pub mod charts;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod numbers;
mod page_data;
pub mod pages;
mod renderer;
pub mod theme;
pub mod urls;
pub mod views;

pub use cache::{RenderCache, SiteInfo};
pub use pages::Page;
pub use renderer::Renderer;
pub use theme::Theme;
pub use urls::Urls;

/// Why pages could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed to compile or to render.
    #[error("in the templates: {0}")]
    Template(String),
    /// The sink refused a page.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The page's path in the output.
        path: String,
        /// The sink's reason (a write that failed, a page where a static file is).
        source: std::io::Error,
    },
}

/// Tera's error with its whole chain of causes (which hold the file:line:column).
pub(crate) fn describe_tera_error(error: &tera::Error) -> String {
    // Tera's message starts with its own "error: ", which the caller's would repeat.
    let whole = error.to_string();
    let mut message = whole.strip_prefix("error: ").unwrap_or(&whole).to_string();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        message.push_str("\n  caused by: ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}
