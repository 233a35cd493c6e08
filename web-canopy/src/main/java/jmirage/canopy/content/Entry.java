package jmirage.canopy.content;

/** What a Markdown file of the repository becomes: an article, or a redirect. */
public sealed interface Entry permits Article, Redirect {}
